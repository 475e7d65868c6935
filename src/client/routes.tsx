import type { RouteObject } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireStage, StageHome } from './components/RequireStage.tsx';

/** Pages load lazily, so a page's code (and e.g. the QR library) arrives only when it is visited. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <StageHome /> },
      { path: 'sign-in', lazy: async () => ({ Component: (await import('./pages/sign-in/SignInPage.tsx')).SignInPage }) },
      {
        path: 'register',
        lazy: async () => {
          const { RegisterPage } = await import('./pages/register/RegisterPage.tsx');
          return {
            element: (
              <RequireStage stages={['registration']}>
                <RegisterPage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'security-info',
        lazy: async () => {
          const { SecurityInfoPage } = await import('./pages/security-info/SecurityInfoPage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <SecurityInfoPage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'security-info/add',
        lazy: async () => {
          const { AddMethodPage } = await import('./pages/security-info/AddMethodPage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <AddMethodPage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'security-info/add/authenticator',
        lazy: async () => {
          const { AddAuthenticatorPage } = await import('./pages/security-info/AddAuthenticatorPage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <AddAuthenticatorPage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'security-info/add/webauthn',
        lazy: async () => {
          const { AddWebAuthnPage } = await import('./pages/security-info/AddWebAuthnPage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <AddWebAuthnPage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'security-info/add/phone',
        lazy: async () => {
          const { AddPhonePage } = await import('./pages/security-info/AddPhonePage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <AddPhonePage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'security-info/phone/:methodId/change',
        lazy: async () => {
          const { ChangePhonePage } = await import('./pages/security-info/ChangePhonePage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <ChangePhonePage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'security-info/authenticator/:methodId/reconfigure',
        lazy: async () => {
          const { ReconfigureAuthenticatorPage } = await import('./pages/security-info/ReconfigureAuthenticatorPage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <ReconfigureAuthenticatorPage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'activity',
        lazy: async () => {
          const { ActivityPage } = await import('./pages/activity/ActivityPage.tsx');
          return {
            element: (
              <RequireStage stages={['signed_in']}>
                <ActivityPage />
              </RequireStage>
            ),
          };
        },
      },
      {
        path: 'dev/outbox',
        lazy: async () => {
          const { OutboxPage } = await import('./pages/dev-outbox/OutboxPage.tsx');
          return { element: <OutboxPage /> };
        },
      },
      { path: '*', lazy: async () => ({ Component: (await import('./pages/not-found/NotFoundPage.tsx')).NotFoundPage }) },
    ],
  },
];

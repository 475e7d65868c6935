import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import type { SessionState } from '../shared/api/session.ts';
import { Layout } from './components/Layout.tsx';
import { RequireStage, StageHome } from './components/RequireStage.tsx';
import { methodKinds } from './method-kinds.ts';

/** A page loaded when visited, shown only at the given sign-in stages. */
function page(stages: SessionState['stage'][], load: () => Promise<ComponentType>): RouteObject['lazy'] {
  return async () => {
    const Page = await load();
    return {
      element: (
        <RequireStage stages={stages}>
          <Page />
        </RequireStage>
      ),
    };
  };
}

/**
 * An admin page: shown only to administrators with a recent verification
 * (RequireAdmin), which arrives with the page's code, as do the admin texts.
 * The page itself, and what it loads, comes only once it is let through.
 */
function adminPage(load: () => Promise<ComponentType>): RouteObject['lazy'] {
  return page(['signed_in'], async () => {
    const [{ RequireAdmin }, Page] = await Promise.all([import('./pages/admin/RequireAdmin.tsx'), load()]);
    return function AdminPage() {
      return (
        <RequireAdmin>
          <Page />
        </RequireAdmin>
      );
    };
  });
}

/** Pages load lazily, so a page's code (and e.g. the QR library) arrives only when it is visited. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <StageHome /> },
      { path: 'sign-in', lazy: async () => ({ Component: (await import('./pages/sign-in/SignInPage.tsx')).SignInPage }) },
      // Opened from a security e-mail, signed in or not.
      {
        path: 'this-wasnt-me',
        lazy: async () => ({ Component: (await import('./pages/this-wasnt-me/ThisWasntMePage.tsx')).ThisWasntMePage }),
      },
      {
        path: 'password-reset',
        lazy: async () => ({ Component: (await import('./pages/password-reset/PasswordResetPage.tsx')).PasswordResetPage }),
      },
      {
        path: 'change-password',
        lazy: page(['password_change'], async () => (await import('./pages/change-password/ChangePasswordPage.tsx')).ChangePasswordPage),
      },
      { path: 'register', lazy: page(['registration'], async () => (await import('./pages/register/RegisterPage.tsx')).RegisterPage) },
      {
        path: 'security-info',
        lazy: page(['signed_in'], async () => (await import('./pages/security-info/SecurityInfoPage.tsx')).SecurityInfoPage),
      },
      {
        path: 'security-info/add',
        lazy: page(['signed_in'], async () => (await import('./pages/security-info/AddMethodPage.tsx')).AddMethodPage),
      },
      {
        path: 'security-info/add/:kind',
        lazy: page(['signed_in'], async () => (await import('./pages/security-info/AddKindPage.tsx')).AddKindPage),
      },
      // Pages a kind brings of its own, e.g. changing a phone's number.
      ...methodKinds.flatMap((entry) => entry.routes ?? []).map((route) => ({ path: route.path, lazy: page(['signed_in'], route.load) })),
      {
        path: 'admin/log',
        lazy: adminPage(async () => (await import('./pages/admin/log/VerificationLogPage.tsx')).VerificationLogPage),
      },
      { path: 'admin', lazy: adminPage(async () => (await import('./pages/admin/AdminHomePage.tsx')).AdminHomePage) },
      { path: 'admin/policy', lazy: adminPage(async () => (await import('./pages/admin/policy/PolicyPage.tsx')).PolicyPage) },
      { path: 'admin/users', lazy: adminPage(async () => (await import('./pages/admin/users/UsersPage.tsx')).UsersPage) },
      {
        path: 'admin/users/:username',
        lazy: adminPage(async () => (await import('./pages/admin/users/UserPage.tsx')).UserPage),
      },
      // Admin pages a kind brings of its own, e.g. the hardware tokens.
      ...methodKinds
        .flatMap((entry) => entry.adminPages ?? [])
        .map((adminRoute) => ({ path: adminRoute.path, lazy: adminPage(adminRoute.load) })),
      { path: 'activity', lazy: page(['signed_in'], async () => (await import('./pages/activity/ActivityPage.tsx')).ActivityPage) },
      {
        path: 'dev/outbox',
        lazy: async () => ({ Component: (await import('./pages/dev-outbox/OutboxPage.tsx')).OutboxPage }),
      },
      { path: '*', lazy: async () => ({ Component: (await import('./pages/not-found/NotFoundPage.tsx')).NotFoundPage }) },
    ],
  },
];

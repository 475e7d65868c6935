import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';
import { AuthenticatorListActions } from './AuthenticatorListActions.tsx';

/** Authenticator apps (TOTP, RFC 6238). The setup wizard and its QR library load only when it is shown. */
export const authenticator: MethodKindEntry = {
  kind: 'authenticator',
  // Phishable, but bound to a device the user holds: AAL2 (NIST SP 800-63B §5.1.4, §5.1.5).
  strength: 2,
  Setup: lazy(async () => ({ default: (await import('./AuthenticatorSetup.tsx')).AuthenticatorSetup })),
  Verify: lazy(async () => ({ default: (await import('./AuthenticatorCodeForm.tsx')).AuthenticatorCodeForm })),
  useTexts() {
    const { t } = useTranslation('methods');
    return { addTitle: t('authenticator.addTitle'), added: (method) => t('authenticator.added', { label: method.label }) };
  },
  ListActions: AuthenticatorListActions,
  routes: [
    {
      path: 'security-info/authenticator/:methodId/reconfigure',
      load: async () => (await import('./ReconfigureAuthenticatorPage.tsx')).ReconfigureAuthenticatorPage,
    },
  ],
};

import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';
import { TokensAdminSummary } from './admin/TokensAdminSummary.tsx';

/** Hardware OATH tokens (key fobs) an administrator imports and hands out; the user activates theirs. */
export const hardwareToken: MethodKindEntry = {
  kind: 'hardware_token',
  // A one-time-password device, like an authenticator app: AAL2 (NIST SP 800-63B §5.1.4).
  strength: 2,
  Setup: lazy(async () => ({ default: (await import('./TokenActivation.tsx')).TokenActivation })),
  Verify: lazy(async () => ({ default: (await import('./TokenVerifyForm.tsx')).TokenVerifyForm })),
  useTexts() {
    const { t } = useTranslation('hardware-token');
    return { addTitle: t('addTitle'), added: (method) => t('added', { label: method.label }) };
  },
  adminPages: [
    {
      path: 'admin/hardware-tokens',
      load: async () => (await import('./admin/HardwareTokensPage.tsx')).HardwareTokensPage,
      Summary: TokensAdminSummary,
    },
    {
      path: 'admin/hardware-tokens/import',
      load: async () => (await import('./admin/ImportTokensPage.tsx')).ImportTokensPage,
    },
  ],
};

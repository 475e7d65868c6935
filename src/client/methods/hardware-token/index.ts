import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';

// One chunk for the forms, one for the admin pages, each loaded when first shown.
const forms = () => import('./forms.ts');
const admin = () => import('./admin/pages.ts');

/** Hardware OATH tokens (key fobs) an administrator imports and hands out; the user activates theirs. */
export const hardwareToken: MethodKindEntry = {
  kind: 'hardware_token',
  // A one-time-password device, like an authenticator app: AAL2 (NIST SP 800-63B §5.1.4).
  strength: 2,
  Setup: lazy(async () => ({ default: (await forms()).TokenActivation })),
  Verify: lazy(async () => ({ default: (await forms()).TokenVerifyForm })),
  useTexts() {
    const { t } = useTranslation('hardware-token');
    return { addTitle: t('addTitle'), added: (method) => t('added', { label: method.label }) };
  },
  adminPages: [
    {
      path: 'admin/hardware-tokens',
      load: async () => (await admin()).HardwareTokensPage,
      Summary: lazy(async () => ({ default: (await admin()).TokensAdminSummary })),
    },
    { path: 'admin/hardware-tokens/import', load: async () => (await admin()).ImportTokensPage },
  ],
};

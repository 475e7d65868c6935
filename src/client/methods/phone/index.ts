import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';
import { PhoneListActions } from './PhoneListActions.tsx';

/** Phones: a code by text message or call. The setup and its country list load only when shown. */
export const phone: MethodKindEntry = {
  kind: 'phone',
  // SMS and voice codes are a restricted authenticator (NIST SP 800-63B §5.1.3.3): offered last.
  strength: 1,
  Setup: lazy(async () => ({ default: (await import('./PhoneSetup.tsx')).PhoneSetup })),
  Verify: lazy(async () => ({ default: (await import('./PhoneVerifyForm.tsx')).PhoneVerifyForm })),
  useTexts() {
    const { t } = useTranslation('phone');
    return {
      addTitle: t('setup.title'),
      added: (method) => t('setup.added', { label: method.label, number: method.detail ?? '' }),
    };
  },
  ListActions: PhoneListActions,
  routes: [
    {
      path: 'security-info/phone/:methodId/change',
      load: async () => (await import('./ChangePhonePage.tsx')).ChangePhonePage,
    },
  ],
};

import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';

/**
 * Security keys and passkeys (WebAuthn). @simplewebauthn/browser is imported by
 * the ceremonies themselves, so the lazy components below stay small too.
 */
export const webauthn: MethodKindEntry = {
  kind: 'webauthn',
  // Phishing-resistant, the only kind that can reach AAL3 (NIST SP 800-63B §5.1.8, §5.2.5): offered first.
  strength: 3,
  Setup: lazy(async () => ({ default: (await import('./WebAuthnSetup.tsx')).WebAuthnSetup })),
  Verify: lazy(async () => ({ default: (await import('./WebAuthnVerifyForm.tsx')).WebAuthnVerifyForm })),
  useTexts() {
    const { t } = useTranslation('webauthn');
    return { addTitle: t('setup.title'), added: (method) => t('setup.added', { label: method.label }) };
  },
  // Loaded only when used, like the ceremonies, so listing the kind stays cheap.
  beforeDelete: async (method) => (await import('./passkey-sync.ts')).beforePasskeyDelete(method),
  afterSignIn: async (state) => (await import('./passkey-sync.ts')).afterPasskeySignIn(state),
  PasswordlessSignIn: lazy(async () => ({ default: (await import('./PasskeySignIn.tsx')).PasskeySignIn })),
};

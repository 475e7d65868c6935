import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/webauthn.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import {
  browserHasWebAuthn,
  cancelCeremony,
  conditionalMediationAvailable,
  getAssertion,
  WebAuthnClientError,
} from './webauthn-browser.ts';
import { WebAuthnErrorAlert } from './WebAuthnErrorAlert.tsx';

async function signInWithPasskey(conditional: boolean): Promise<SessionInfo> {
  const { challengeId, options } = await call(api.startPasskeySignIn, { body: {} });
  const response = await getAssertion(options, conditional);
  return call(api.finishPasskeySignIn, { body: { challengeId, response } });
}

/**
 * Passwordless sign-in with a passkey, beyond the reference product: offered
 * in the user-name field's autofill where the browser supports conditional UI
 * (the field has autocomplete="username webauthn"), and always as a button.
 */
export function PasskeySignIn({ onDone }: { onDone(next: SessionInfo): void }) {
  const { t } = useTranslation('webauthn');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void conditionalMediationAvailable().then((available) => {
      if (!available || !live) return;
      signInWithPasskey(true).then(
        (next) => live && onDone(next),
        // A conditional request ends quietly when the user types a password instead.
        () => undefined,
      );
    });
    return () => {
      live = false;
      if (browserHasWebAuthn()) void cancelCeremony();
    };
  }, [onDone]);

  async function explicit() {
    setBusy(true);
    setError(null);
    try {
      onDone(await signInWithPasskey(false));
    } catch (e) {
      setError(e instanceof WebAuthnClientError || e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  }

  if (!browserHasWebAuthn()) return null;
  return (
    <div className="passkey-sign-in">
      <p className="divider">{t('signIn.or')}</p>
      <WebAuthnErrorAlert error={error} />
      <button type="button" className="button secondary" disabled={busy} onClick={() => void explicit()}>
        {t('signIn.button')}
      </button>
    </div>
  );
}

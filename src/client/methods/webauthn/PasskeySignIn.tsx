import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/webauthn.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { ApiError, call } from '../../api/client.ts';
import { useAction } from '../../hooks/use-action.ts';
import {
  browserHasWebAuthn,
  cancelCeremony,
  conditionalMediationAvailable,
  getAssertion,
  WebAuthnClientError,
} from './webauthn-browser.ts';
import { WebAuthnErrorAlert } from './WebAuthnErrorAlert.tsx';
import { Button } from '../../components/Button.tsx';

async function signInWithPasskey(conditional: boolean): Promise<SessionInfo> {
  const { challengeId, options } = await call(api.startPasskeySignIn, { body: {} });
  const response = await getAssertion(options, conditional);
  return call(api.finishPasskeySignIn, { body: { challengeId, response } });
}

/** A conditional request ends quietly when the page or the explicit button aborts it, or the user never picks a passkey. */
const quietEnd = (error: unknown) =>
  error instanceof WebAuthnClientError && (error.problem === 'cancelled' || error.problem === 'timed_out');
/** Its challenge lived 5 minutes while the field waited; a fresh request replaces it. */
const staleChallenge = (error: unknown) => error instanceof ApiError && error.code === 'webauthn_expired';

/**
 * Passwordless sign-in with a passkey, beyond the reference product: offered
 * in the user-name field's autofill where the browser supports conditional UI
 * (the field has autocomplete="username webauthn"; WebAuthn L3 §5.1.4.1,
 * mediation "conditional"), and always as a button.
 */
export function PasskeySignIn({ onDone }: { onDone(next: SessionInfo): void }) {
  const { t } = useTranslation('webauthn');
  const { busy, error, setError, run } = useAction();
  // Each round is one pending conditional request; a new round starts after a failed explicit attempt or a stale challenge.
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    void conditionalMediationAvailable().then((available) => {
      if (!available || !live) return;
      signInWithPasskey(true).then(
        (next) => live && onDone(next),
        (e: unknown) => {
          if (!live || quietEnd(e)) return;
          if (staleChallenge(e)) setRound((r) => r + 1);
          // A passkey was picked and refused (unknown, deleted, failed): say so rather than do nothing.
          else setError(e);
        },
      );
    });
    return () => {
      live = false;
      if (browserHasWebAuthn()) void cancelCeremony();
    };
  }, [onDone, round, setError]);

  const explicit = () =>
    run(async () => {
      try {
        onDone(await signInWithPasskey(false));
      } catch (e) {
        // The explicit request aborted the conditional one; offer passkeys in autofill again.
        setRound((r) => r + 1);
        throw e;
      }
    });

  if (!browserHasWebAuthn()) return null;
  return (
    <div className="passkey-sign-in">
      <p className="divider">{t('signIn.or')}</p>
      <WebAuthnErrorAlert error={error} />
      <Button variant="secondary" disabled={busy} onClick={() => void explicit()}>
        {t('signIn.button')}
      </Button>
    </div>
  );
}

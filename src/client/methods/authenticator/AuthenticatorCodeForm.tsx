import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as sessionApi from '../../../shared/api/session.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { CodeInput } from '../../components/CodeInput.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** Verifies the user with a code from their authenticator app: sign-in's second step, or re-verification. */
export function AuthenticatorCodeForm({ methodId, onVerified }: { methodId: string; onVerified(next: SessionInfo): void }) {
  const { t } = useTranslation('methods');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function verify(value: string) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onVerified(await call(sessionApi.verifyTotp, { body: { code: value, methodId } }));
    } catch (e) {
      setError(e);
      setCode('');
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void verify(code);
  }

  return (
    <form onSubmit={submit} noValidate>
      <CodeInput
        label={t('authenticator.codeLabel')}
        hint={t('authenticator.signInHint')}
        value={code}
        onChange={setCode}
        onComplete={(c) => void verify(c)}
        errorId={error ? 'totp-error' : undefined}
        inputRef={input}
        autoFocus
      />
      <ErrorAlert error={error} id="totp-error" />
      <div className="actions">
        <button type="submit" className="button" disabled={busy || code.length !== 6}>
          {t('authenticator.verify')}
        </button>
      </div>
    </form>
  );
}

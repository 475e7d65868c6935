import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as sessionApi from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { CodeInput } from '../../components/CodeInput.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { VerifyProps } from '../../components/methods/method-kind-entry.ts';
import { useAction } from '../../hooks/use-action.ts';
import { Button } from '../../components/Button.tsx';

/** Verifies the user with a code from their authenticator app: sign-in's second step, or re-verification. */
export function AuthenticatorCodeForm({ option, onVerified }: VerifyProps) {
  const { t } = useTranslation('methods');
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();
  const input = useRef<HTMLInputElement>(null);

  async function verify(value: string) {
    if (busy) return;
    await run(async () => {
      try {
        onVerified(await call(sessionApi.verifyTotp, { body: { code: value, methodId: option.methodId } }));
      } catch (e) {
        // A wrong code is typed again from scratch.
        setCode('');
        input.current?.focus();
        throw e;
      }
    });
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
        <Button type="submit" disabled={busy || code.length !== 6}>
          {t('authenticator.verify')}
        </Button>
      </div>
    </form>
  );
}

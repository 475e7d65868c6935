import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../shared/api/recovery-codes.ts';
import type { SessionInfo } from '../../shared/api/session.ts';
import { call } from '../api/client.ts';
import { useAction } from '../hooks/use-action.ts';
import { Button } from './Button.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';

/** Typing one of the user's recovery codes instead of using a method: at the second step, or to verify again. Each code works once. */
export function RecoveryCodeForm({ onDone }: { onDone(next: SessionInfo): void }) {
  const { t } = useTranslation('recovery-codes');
  const id = useId();
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => onDone(await call(api.verifyRecoveryCode, { body: { code: code.trim() } })));
  }

  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-code`}>{t('signIn.label')}</label>
        <input
          id={`${id}-code`}
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={64}
          value={code}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          onChange={(e) => setCode(e.target.value)}
          autoFocus
        />
        <p className="hint" id={`${id}-hint`}>
          {t('signIn.hint')}
        </p>
      </div>
      <ErrorAlert error={error} id={`${id}-error`} />
      <div className="actions">
        <Button type="submit" disabled={busy || !code.trim()}>
          {t('signIn.submit')}
        </Button>
      </div>
    </form>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/temporary-access-pass.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../hooks/use-action.ts';

/** Typing a temporary access pass an administrator gave the user, instead of a method. */
export function TemporaryAccessPassForm({ onDone }: { onDone(next: SessionInfo): void }) {
  const { t } = useTranslation('sign-in');
  const id = useId();
  const [pass, setPass] = useState('');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => onDone(await call(api.verifyTemporaryAccessPass, { body: { pass: pass.trim() } })));
  }

  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-pass`}>{t('tap.label')}</label>
        <input
          id={`${id}-pass`}
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={128}
          value={pass}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          onChange={(e) => setPass(e.target.value)}
          autoFocus
        />
        <p className="hint" id={`${id}-hint`}>
          {t('tap.hint')}
        </p>
      </div>
      <ErrorAlert error={error} id={`${id}-error`} />
      <div className="actions">
        <Button type="submit" disabled={busy || !pass.trim()}>
          {t('tap.submit')}
        </Button>
      </div>
    </form>
  );
}

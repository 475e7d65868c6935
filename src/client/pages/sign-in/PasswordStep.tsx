import { Suspense, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import * as sessionApi from '../../../shared/api/session.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useMethodKinds } from '../../components/methods/method-kinds-context.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { Button } from '../../components/Button.tsx';

export function PasswordStep({ onDone }: { onDone(next: SessionInfo): void }) {
  const { t } = useTranslation('sign-in');
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const kinds = useMethodKinds();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      try {
        onDone(await call(sessionApi.signIn, { body: { username, password } }));
      } catch (e) {
        // A refused password is not left in the field.
        setPassword('');
        throw e;
      }
    });
  };

  return (
    <div className="card">
      <form onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={`${id}-user`}>{t('username')}</label>
          <input
            id={`${id}-user`}
            name="username"
            autoComplete="username webauthn"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('password')}</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <ErrorAlert error={error} />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('submit')}
          </Button>
        </div>
        <p>
          <Link to="/password-reset">{t('forgotPassword')}</Link>
        </p>
      </form>
      {kinds.map(({ kind, PasswordlessSignIn }) =>
        PasswordlessSignIn ? (
          <Suspense key={kind} fallback={null}>
            <PasswordlessSignIn onDone={onDone} />
          </Suspense>
        ) : null,
      )}
    </div>
  );
}

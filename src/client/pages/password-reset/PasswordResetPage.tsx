import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import '../../i18n/password-reset-namespace.ts';
import * as resetApi from '../../../shared/api/password-reset.ts';
import type { PasswordResetState } from '../../../shared/api/password-reset.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { Button, ButtonLink } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { ProveStep } from './ProveStep.tsx';
import { NewPasswordStep } from './NewPasswordStep.tsx';

/** The reset as a discriminated union of steps: user name, then the server's state, then done. */
type View = { step: 'username' } | PasswordResetState | { step: 'done' };

/** "Forgot your password?": user name, proof with registered methods, new password (docs/reference.md#self-service-password-reset). */
export function PasswordResetPage() {
  const { t } = useTranslation('password-reset');
  const [view, setView] = useState<View>({ step: 'username' });
  const { refresh } = useSession();
  const startOver = (
    <div className="actions secondary-actions">
      <Button variant="link" onClick={() => setView({ step: 'username' })}>
        {t('startOver')}
      </Button>
    </div>
  );

  return (
    <div className="narrow">
      <PageHeading title={t('title')}>{t('title')}</PageHeading>
      {view.step === 'username' ? (
        <UsernameStep
          onStarted={async (next) => {
            // Starting moved the session on (a new id and CSRF token): read it before the next step.
            await refresh();
            setView(next);
          }}
        />
      ) : null}
      {view.step === 'contact_admin' ? (
        <section className="card" aria-labelledby="contact-heading">
          <h2 id="contact-heading">{t('contactAdmin.title')}</h2>
          <p>{t('contactAdmin.body')}</p>
          {startOver}
        </section>
      ) : null}
      {view.step === 'prove' ? <ProveStep state={view} onProved={setView} onExpired={() => setView({ step: 'username' })} /> : null}
      {view.step === 'choose_password' ? (
        <NewPasswordStep
          state={view}
          onDone={async () => {
            await refresh();
            setView({ step: 'done' });
          }}
        />
      ) : null}
      {view.step === 'done' ? (
        <section className="card" aria-labelledby="done-heading">
          <h2 id="done-heading">{t('done.title')}</h2>
          <p role="status">{t('done.body')}</p>
          <div className="actions">
            <ButtonLink to="/sign-in">{t('done.signIn')}</ButtonLink>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function UsernameStep({ onStarted }: { onStarted(next: PasswordResetState): Promise<void> }) {
  const { t } = useTranslation('password-reset');
  const id = useId();
  const [username, setUsername] = useState('');
  const { busy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => onStarted(await call(resetApi.startPasswordReset, { body: { username } })));
  };
  return (
    <section className="card">
      <p>{t('username.intro')}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-user`}>{t('username.label')}</label>
          <input
            id={`${id}-user`}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <ErrorAlert error={error} />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('username.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as sessionApi from '../../../shared/api/session.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { stateString } from '../../components/location-state.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useMethodKinds } from '../../components/methods/method-kinds-context.tsx';
import { PasswordStep } from './PasswordStep.tsx';
import { SecondFactorStep } from './SecondFactorStep.tsx';

export function SignInPage() {
  const { t } = useTranslation('sign-in');
  const { session, error, setSession, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = stateString(location.state, 'from');
  const stage = session?.state.stage;
  const kinds = useMethodKinds();
  /** Set while the kinds finish a sign-in made on this page; then what they have to say, if anything. */
  const [finishing, setFinishing] = useState<{ message: string | null } | 'running' | null>(null);

  useEffect(() => {
    if (stage === 'registration') navigate('/register', { replace: true });
    if (stage === 'password_change') navigate('/change-password', { replace: true });
    if (stage === 'signed_in' && finishing !== 'running') {
      const message = finishing?.message;
      navigate(from && from !== '/sign-in' ? from : '/security-info', { replace: true, ...(message ? { state: { message } } : {}) });
    }
  }, [stage, from, navigate, finishing]);

  /** A step answered: once signed in, each kind may act on the new session first (keeping passkeys in step, an upgrade). */
  async function stepDone(next: SessionInfo) {
    if (next.state.stage !== 'signed_in') return setSession(next);
    const state = next.state;
    setFinishing('running');
    const messages: string[] = [];
    for (const entry of kinds) {
      const message = await entry.afterSignIn?.(state).catch(() => null);
      if (message) messages.push(message);
    }
    setFinishing({ message: messages.join(' ') || null });
    setSession(next);
  }

  async function cancel() {
    await call(sessionApi.signOut).catch(() => undefined);
    await refresh();
  }

  return (
    <div className="narrow">
      <PageHeading title={t('title')}>{t('title')}</PageHeading>
      <ErrorAlert error={error} />
      {finishing === 'running' ? (
        <p role="status" className="loading">
          {t('finishing')}
        </p>
      ) : null}
      {session?.state.stage === 'anonymous' && finishing !== 'running' ? <PasswordStep onDone={(next) => void stepDone(next)} /> : null}
      {session?.state.stage === 'second_factor' && finishing !== 'running' ? (
        <>
          <p className="lead">{t('secondFactor.intro', { name: session.state.user.displayName })}</p>
          <SecondFactorStep
            options={session.state.options}
            temporaryAccessPass={session.state.temporaryAccessPass}
            recoveryCode={session.state.recoveryCode ?? false}
            onDone={(next) => void stepDone(next)}
            onCancel={() => void cancel()}
          />
        </>
      ) : null}
    </div>
  );
}

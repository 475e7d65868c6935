import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as sessionApi from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { stateString } from '../../components/location-state.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { PasswordStep } from './PasswordStep.tsx';
import { SecondFactorStep } from './SecondFactorStep.tsx';

export function SignInPage() {
  const { t } = useTranslation('sign-in');
  const { session, error, setSession, refresh } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = stateString(location.state, 'from');
  const stage = session?.state.stage;

  useEffect(() => {
    if (stage === 'registration') navigate('/register', { replace: true });
    if (stage === 'signed_in') navigate(from && from !== '/sign-in' ? from : '/security-info', { replace: true });
  }, [stage, from, navigate]);

  async function cancel() {
    await call(sessionApi.signOut).catch(() => undefined);
    await refresh();
  }

  return (
    <div className="narrow">
      <PageHeading title={t('title')}>{t('title')}</PageHeading>
      <ErrorAlert error={error} />
      {session?.state.stage === 'anonymous' ? <PasswordStep onDone={setSession} /> : null}
      {session?.state.stage === 'second_factor' ? (
        <>
          <p className="lead">{t('secondFactor.intro', { name: session.state.user.displayName })}</p>
          <SecondFactorStep
            options={session.state.options}
            temporaryAccessPass={session.state.temporaryAccessPass}
            recoveryCode={session.state.recoveryCode ?? false}
            onDone={setSession}
            onCancel={() => void cancel()}
          />
        </>
      ) : null}
    </div>
  );
}

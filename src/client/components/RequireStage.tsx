import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { SessionState } from '../../shared/api/session.ts';
import { useSession } from '../api/session.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';

/** The page of each sign-in stage. */
export const homeOf: Record<SessionState['stage'], string> = {
  anonymous: '/sign-in',
  second_factor: '/sign-in',
  registration: '/register',
  password_change: '/change-password',
  signed_in: '/security-info',
};

/** Sends the visitor to the page for their sign-in stage when this page is not for it. */
export function RequireStage({ stages, children }: { stages: SessionState['stage'][]; children: ReactNode }) {
  const { session, error } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (error) return <ErrorAlert error={error} />;
  if (!session)
    return (
      <p role="status" className="loading">
        {t('loading')}
      </p>
    );
  const stage = session.state.stage;
  if (!stages.includes(stage)) return <Navigate to={homeOf[stage]} replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

export function StageHome() {
  const { session } = useSession();
  const { t } = useTranslation();
  if (!session)
    return (
      <p role="status" className="loading">
        {t('loading')}
      </p>
    );
  return <Navigate to={homeOf[session.state.stage]} replace />;
}

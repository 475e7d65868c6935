import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/password.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { homeOf } from '../../components/RequireStage.tsx';
import { ChangePasswordForm } from '../../components/password/ChangePasswordForm.tsx';
import { useRemote } from '../../hooks/use-remote.ts';

/**
 * The interruption of a user an administrator requires to change their password: after the
 * second step, and nothing else until it is changed (docs/reference.md#changing-the-password).
 */
export function ChangePasswordPage() {
  const { t } = useTranslation(['password-reset', 'common']);
  const navigate = useNavigate();
  const { state } = useRemote((signal) => call(api.getPassword, {}, { signal }), []);

  return (
    <div className="narrow">
      <PageHeading title={t('change.title')}>{t('change.title')}</PageHeading>
      <p className="lead">{t('change.required')}</p>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.data ? (
        <section className="card" aria-label={t('change.title')}>
          {/* The session moved on with the change: on to the page of where it now stands. */}
          <ChangePasswordForm
            status={state.data}
            onChanged={(result) => navigate(homeOf[result.session.state.stage], { replace: true, state: { message: t('change.done') } })}
          />
        </section>
      ) : state.status === 'loading' ? (
        <p role="status" className="loading">
          {t('common:loading')}
        </p>
      ) : null}
    </div>
  );
}

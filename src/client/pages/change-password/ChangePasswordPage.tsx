import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { ChangePasswordForm } from '../../components/password/ChangePasswordForm.tsx';
import { useRemote } from '../../hooks/use-remote.ts';

/**
 * The interruption of a user an administrator requires to change their password: after the
 * second step, and nothing else until it is changed (docs/reference.md#changing-the-password).
 */
export function ChangePasswordPage() {
  const { t } = useTranslation(['password-reset', 'common']);
  const { setSession } = useSession();
  const { state } = useRemote((signal) => call(api.getPassword, {}, { signal }), []);
  /** The session the change moved on to: taken over on Continue, which leaves this page for where it now stands. */
  const [changed, setChanged] = useState<SessionInfo | null>(null);

  return (
    <div className="narrow">
      <PageHeading title={t('change.title')}>{t('change.title')}</PageHeading>
      {changed ? (
        <>
          <p role="status">{t('change.done')}</p>
          <div className="actions">
            <Button onClick={() => setSession(changed)}>{t('change.continue')}</Button>
          </div>
        </>
      ) : (
        <>
          <p className="lead">{t('change.required')}</p>
          <ErrorAlert error={state.status === 'error' ? state.error : null} />
          {state.data ? (
            <section className="card" aria-label={t('change.title')}>
              <ChangePasswordForm status={state.data} onChanged={(result) => setChanged(result.session)} />
            </section>
          ) : state.status === 'loading' ? (
            <p role="status" className="loading">
              {t('common:loading')}
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}

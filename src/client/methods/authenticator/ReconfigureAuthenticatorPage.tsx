import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useRemote } from '../../hooks/use-remote.ts';
import { AuthenticatorSetup } from './AuthenticatorSetup.tsx';

/** New phone: a new secret is issued; the old one keeps working until the new one is verified. */
export function ReconfigureAuthenticatorPage() {
  const { t } = useTranslation(['methods', 'errors']);
  const { methodId = '' } = useParams();
  const navigate = useNavigate();
  const { state } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  const method = state.data?.methods.find((m) => m.id === methodId && m.kind === 'authenticator');
  return (
    <div className="narrow">
      <PageHeading title={t('authenticator.reconfigureTitle')}>{t('authenticator.reconfigureTitle')}</PageHeading>
      <p className="lead">{t('authenticator.reconfigureIntro')}</p>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'ready' && !method ? <p role="alert">{t('errors:not_found')}</p> : null}
      {method ? (
        <AuthenticatorSetup
          replaceMethodId={method.id}
          initialLabel={method.label}
          onDone={(m) => navigate('/security-info', { state: { message: t('authenticator.reconfigured', { label: m.label }) } })}
          onCancel={() => navigate('/security-info')}
        />
      ) : null}
    </div>
  );
}

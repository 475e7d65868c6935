import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useRemote } from '../../hooks/use-remote.ts';
import { PhoneSetup } from './PhoneSetup.tsx';

/** A new number is proved before it replaces the old one. */
export function ChangePhonePage() {
  const { t } = useTranslation(['phone', 'errors']);
  const { methodId = '' } = useParams();
  const navigate = useNavigate();
  const { state } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  const method = state.data?.methods.find((m) => m.id === methodId && m.kind === 'phone');
  return (
    <div className="narrow">
      <PageHeading title={t('change.title')}>{t('change.title')}</PageHeading>
      {method ? <p className="lead">{t('change.intro', { number: method.detail ?? '' })}</p> : null}
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'ready' && !method ? <p role="alert">{t('errors:not_found')}</p> : null}
      {method?.phoneKind ? (
        <PhoneSetup
          replace={{ methodId: method.id, phoneKind: method.phoneKind }}
          onDone={(m) => navigate('/security-info', { state: { message: t('change.changed', { number: m.detail ?? '' }) } })}
          onCancel={() => navigate('/security-info')}
        />
      ) : null}
    </div>
  );
}

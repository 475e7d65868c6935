import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import type { PhoneKind } from '../../../shared/api/common.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useRemote } from '../../hooks/use-remote.ts';
import { PhoneSetup } from '../../methods/phone/PhoneSetup.tsx';

export function AddPhonePage() {
  const { t } = useTranslation('phone');
  const navigate = useNavigate();
  const { refresh } = useSession();
  const { state } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  const taken = (state.data?.methods ?? []).flatMap((m) => (m.phoneKind ? [m.phoneKind] : [])) as PhoneKind[];
  return (
    <div className="narrow">
      <PageHeading title={t('setup.title')}>{t('setup.title')}</PageHeading>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.data ? (
        <PhoneSetup
          takenKinds={taken}
          onDone={(method) => {
            void refresh();
            navigate('/security-info', { state: { message: t('setup.added', { label: method.label, number: method.detail ?? '' }) } });
          }}
          onCancel={() => navigate('/security-info')}
        />
      ) : null}
    </div>
  );
}

import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useRemote } from '../../hooks/use-remote.ts';
import { AddMethodChoices } from './AddMethodChoices.tsx';

export function AddMethodPage() {
  const { t } = useTranslation(['security-info', 'common']);
  const { state } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  return (
    <div className="narrow">
      <PageHeading title={t('addPage.title')}>{t('addPage.title')}</PageHeading>
      <p className="lead">{t('addPage.intro')}</p>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.data ? <AddMethodChoices info={state.data} linkPrefix="/security-info/add/" /> : null}
      <p>
        <Link to="/security-info">{t('common:back')}</Link>
      </p>
    </div>
  );
}

import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { AuthenticatorSetup } from '../../methods/authenticator/AuthenticatorSetup.tsx';

export function AddAuthenticatorPage() {
  const { t } = useTranslation('methods');
  const navigate = useNavigate();
  const { refresh } = useSession();
  return (
    <div className="narrow">
      <PageHeading title={t('authenticator.addTitle')}>{t('authenticator.addTitle')}</PageHeading>
      <AuthenticatorSetup
        initialLabel={t('authenticator.defaultName')}
        onDone={(method) => {
          void refresh();
          navigate('/security-info', { state: { message: t('authenticator.added', { label: method.label }) } });
        }}
        onCancel={() => navigate('/security-info')}
      />
    </div>
  );
}

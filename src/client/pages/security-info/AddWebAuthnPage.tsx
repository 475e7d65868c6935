import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/session.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { WebAuthnSetup } from '../../methods/webauthn/WebAuthnSetup.tsx';

export function AddWebAuthnPage() {
  const { t } = useTranslation('webauthn');
  const navigate = useNavigate();
  const { refresh } = useSession();
  return (
    <div className="narrow">
      <PageHeading title={t('setup.title')}>{t('setup.title')}</PageHeading>
      <WebAuthnSetup
        onDone={(method) => {
          void refresh();
          navigate('/security-info', { state: { message: t('setup.added', { label: method.label }) } });
        }}
        onCancel={() => navigate('/security-info')}
      />
    </div>
  );
}

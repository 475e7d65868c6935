import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The hardware tokens' section on the admin area's start page (in the admin texts, which that page has loaded). */
export function TokensAdminSummary() {
  const { t } = useTranslation('hardware-token');
  return (
    <>
      <h2>
        <Link to="/admin/hardware-tokens">{t('adminSection.title')}</Link>
      </h2>
      <p className="hint">{t('adminSection.hint')}</p>
    </>
  );
}

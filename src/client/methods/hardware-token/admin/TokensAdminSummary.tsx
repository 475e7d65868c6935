import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import './admin-texts.ts';

/** The hardware tokens' section on the admin area's start page. */
export function TokensAdminSummary() {
  const { t } = useTranslation('hardware-token-admin');
  return (
    <>
      <h2>
        <Link to="/admin/hardware-tokens">{t('title')}</Link>
      </h2>
      <p className="hint">{t('summary')}</p>
    </>
  );
}

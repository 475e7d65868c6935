import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/PageHeading.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <PageHeading title={t('notFound.title')}>{t('notFound.title')}</PageHeading>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </div>
  );
}

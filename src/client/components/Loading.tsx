import { useTranslation } from 'react-i18next';

/** Said while data or a part of the app loads. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      {t('loading')}
    </p>
  );
}

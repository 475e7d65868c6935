import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.tsx';

/** Tells the user their token was resynchronised before the page moves on. */
export function ResynchronisedNotice({ onContinue }: { onContinue(): void }) {
  const { t } = useTranslation('hardware-token-forms');
  return (
    <div>
      <p role="status" className="status">
        {t('resynchronised')}
      </p>
      <div className="actions">
        {/* Focus moves here, so the notice is read and Enter goes on. */}
        <Button autoFocus onClick={onContinue}>
          {t('continue')}
        </Button>
      </div>
    </div>
  );
}

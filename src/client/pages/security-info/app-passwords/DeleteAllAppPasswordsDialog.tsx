import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';

/** Asks before every app password is deleted at once. */
export function DeleteAllAppPasswordsDialog({
  open,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('app-passwords');
  return (
    <ConfirmDialog
      open={open}
      title={t('deleteAllDialog.title')}
      confirmLabel={t('deleteAllDialog.confirm')}
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>{t('deleteAllDialog.body')}</p>
    </ConfirmDialog>
  );
}

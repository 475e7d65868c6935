import { useTranslation } from 'react-i18next';
import type { AppPasswordSummary } from '../../../../shared/api/app-passwords.ts';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';

/** Asks before one app password is deleted; `item` null keeps it closed. */
export function DeleteAppPasswordDialog({
  item,
  busy,
  onConfirm,
  onCancel,
}: {
  item: AppPasswordSummary | null;
  busy: boolean;
  onConfirm(item: AppPasswordSummary): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('app-passwords');
  return (
    <ConfirmDialog
      open={item !== null}
      title={t('deleteDialog.title')}
      confirmLabel={t('deleteDialog.confirm')}
      danger
      busy={busy}
      onConfirm={() => item && onConfirm(item)}
      onCancel={onCancel}
    >
      {item ? <p>{t('deleteDialog.body', { name: item.name })}</p> : null}
    </ConfirmDialog>
  );
}

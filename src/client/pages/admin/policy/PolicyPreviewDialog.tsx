import { useTranslation } from 'react-i18next';
// The admin texts come with the admin pages' code.
import '../../../i18n/admin-namespace.ts';
import type { PolicyPreview } from '../../../../shared/api/admin.ts';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';

interface Props {
  preview: PolicyPreview | null;
  busy: boolean;
  error: unknown;
  onConfirm(): void;
  onCancel(): void;
}

/** Before a save turns a kind or a phone option off: whom it affects, and whether it would lock the administrator out. */
export function PolicyPreviewDialog({ preview, busy, error, onConfirm, onCancel }: Props) {
  const { t } = useTranslation(['admin', 'errors']);
  return (
    <ConfirmDialog
      open={preview !== null}
      title={t('policy.preview.title')}
      confirmLabel={t('policy.preview.confirm')}
      onConfirm={onConfirm}
      onCancel={onCancel}
      busy={busy}
      danger
      confirmDisabled={preview?.locksOutYou ?? false}
    >
      <p>{t('policy.preview.intro')}</p>
      <ul className="preview-list">
        {preview?.turnedOff.map((item) => (
          <li key={item.switch}>
            <strong>{t(`policy.preview.switch.${item.switch}`)}</strong>
            <ul>
              <li>{t('policy.preview.defaultUsers', { count: item.defaultUsers })}</li>
              <li>{t('policy.preview.users', { count: item.users })}</li>
              <li>{t('policy.preview.left', { count: item.leftWithoutMethod })}</li>
            </ul>
          </li>
        ))}
      </ul>
      {preview ? <p className="preview-total">{t('policy.preview.total', { count: preview.leftWithoutMethod })}</p> : null}
      {preview?.locksOutYou ? (
        <p role="alert" className="alert alert-error">
          {t('errors:policy_locks_out_admin')}
        </p>
      ) : null}
      <ErrorAlert error={error} />
    </ConfirmDialog>
  );
}

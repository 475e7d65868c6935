import { useTranslation } from 'react-i18next';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { DefaultMethodPicker } from './DefaultMethodPicker.tsx';

/** The default method picker in a dialog; the picker saves, the dialog only frames it. */
export function ChangeDefaultDialog({
  open,
  info,
  onSaved,
  onCancel,
}: {
  open: boolean;
  info: SecurityInfo;
  onSaved(next: SecurityInfo): void;
  onCancel(): void;
}) {
  const { t } = useTranslation(['security-info', 'common']);
  return (
    <Dialog
      open={open}
      title={t('default.dialogTitle')}
      onClose={onCancel}
      actions={
        <Button variant="secondary" onClick={onCancel}>
          {t('common:cancel')}
        </Button>
      }
    >
      {open ? <DefaultMethodPicker info={info} onSaved={onSaved} /> : null}
    </Dialog>
  );
}

import { useTranslation } from 'react-i18next';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useMethodKindName } from '../../components/methods/MethodKindName.tsx';

/** Asks before a method is deleted; `method` null keeps it closed. */
export function DeleteMethodDialog({
  method,
  busy,
  onConfirm,
  onCancel,
}: {
  method: MethodSummary | null;
  busy: boolean;
  onConfirm(method: MethodSummary): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('security-info');
  const kindName = useMethodKindName();
  return (
    <ConfirmDialog
      open={method !== null}
      title={t('deleteDialog.title')}
      confirmLabel={t('deleteDialog.confirm')}
      danger
      busy={busy}
      onConfirm={() => method && onConfirm(method)}
      onCancel={onCancel}
    >
      {method ? <p>{t('deleteDialog.body', { method: kindName(method.kind), label: method.label })}</p> : null}
    </ConfirmDialog>
  );
}

import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';

/** A new name for a method, prefilled with its current one; `method` null keeps it closed. */
export function RenameMethodDialog({
  method,
  busy,
  onSave,
  onCancel,
}: {
  method: MethodSummary | null;
  busy: boolean;
  onSave(method: MethodSummary, label: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation(['security-info', 'common']);
  const id = useId();
  const [label, setLabel] = useState('');
  useEffect(() => {
    if (method) setLabel(method.label);
  }, [method]);
  return (
    <ConfirmDialog
      open={method !== null}
      title={t('renameDialog.title')}
      confirmLabel={t('common:save')}
      busy={busy}
      confirmDisabled={!label.trim()}
      onConfirm={() => method && onSave(method, label)}
      onCancel={onCancel}
    >
      <div className="field">
        <label htmlFor={id}>{t('renameDialog.label')}</label>
        <input id={id} value={label} maxLength={64} onChange={(e) => setLabel(e.target.value)} />
      </div>
    </ConfirmDialog>
  );
}

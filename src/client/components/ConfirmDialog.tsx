import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button.tsx';
import { Dialog } from './Dialog.tsx';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  /** The confirmed action is running: the confirm button waits. */
  busy?: boolean;
  /** The action destroys something: the confirm button says so by its colour. */
  danger?: boolean;
  /** E.g. an empty name cannot be saved. */
  confirmDisabled?: boolean;
}

/** "Are you sure?": a question, the action named on its button, and Cancel. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  danger,
  confirmDisabled,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      actions={
        <>
          <Button variant={danger ? 'danger' : 'primary'} disabled={busy || confirmDisabled} onClick={onConfirm}>
            {confirmLabel}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('cancel')}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}

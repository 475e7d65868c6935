import { useTranslation } from 'react-i18next';
import type { PasswordStatus } from '../../../../shared/api/password.ts';
import { Dialog } from '../../../components/Dialog.tsx';
import { ChangePasswordForm } from '../../../components/password/ChangePasswordForm.tsx';

/** "Change your password", over Security info; its buttons are the form's own. */
export function ChangePasswordDialog({ status, onClose }: { status: PasswordStatus; onClose(changed: PasswordStatus | null): void }) {
  const { t } = useTranslation('password-reset');
  return (
    <Dialog open title={t('change.title')} onClose={() => onClose(null)} actions={null}>
      <ChangePasswordForm status={status} onChanged={(result) => onClose(result.password)} onCancel={() => onClose(null)} />
    </Dialog>
  );
}

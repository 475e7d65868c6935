import { useTranslation } from 'react-i18next';
import type { PasswordStatus } from '../../../../shared/api/security-info.ts';
import { useSession } from '../../../api/session.tsx';
import { Dialog } from '../../../components/Dialog.tsx';
import { ChangePasswordForm } from '../../../components/password/ChangePasswordForm.tsx';

/**
 * "Change your password", over Security info; its buttons are the form's own. Once changed it
 * hands back what the page shows, the message included: its texts come with the dialog.
 */
export function ChangePasswordDialog({
  status,
  onClose,
}: {
  status: PasswordStatus;
  onClose(changed: { status: PasswordStatus; message: string } | null): void;
}) {
  const { t } = useTranslation('password-reset');
  const { setSession } = useSession();
  return (
    <Dialog open title={t('change.title')} onClose={() => onClose(null)} actions={null}>
      <ChangePasswordForm
        status={status}
        onChanged={(result) => {
          setSession(result.session);
          onClose({ status: result.password, message: t('change.done') });
        }}
        onCancel={() => onClose(null)}
      />
    </Dialog>
  );
}

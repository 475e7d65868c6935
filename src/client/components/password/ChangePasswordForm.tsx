import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/password-change.ts';
import type { PasswordStatus } from '../../../shared/api/security-info.ts';
import type { EndpointResponse } from '../../../shared/endpoint.ts';
import { call } from '../../api/client.ts';
import { useAction } from '../../hooks/use-action.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { Button } from '../Button.tsx';
import { ErrorAlert } from '../ErrorAlert.tsx';
import { NewPasswordFields, useNewPassword } from './NewPasswordFields.tsx';

/**
 * The current password, then a new one with its meter: on Security info's dialog and in the
 * interruption of a user who must change it. A re-verification the server asks for is made on
 * the way (useReauth). The session that comes back has a new id and CSRF token: the caller takes
 * it over before anything else is asked of the server.
 */
export function ChangePasswordForm({
  status,
  onChanged,
  onCancel,
}: {
  status: PasswordStatus;
  onChanged(result: EndpointResponse<typeof api.changePassword>): void;
  onCancel?(): void;
}) {
  const { t } = useTranslation(['password-reset', 'common']);
  const id = useId();
  const withReauth = useReauth();
  const newPassword = useNewPassword();
  const { busy, error, run } = useAction();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const currentPassword = new FormData(event.currentTarget).get('current-password');
    if (typeof currentPassword !== 'string' || !newPassword.confirmed()) return;
    void run(async () => {
      const result = await withReauth(() => call(api.changePassword, { body: { currentPassword, newPassword: newPassword.password } }));
      onChanged(result);
    });
  };

  return (
    <form onSubmit={submit}>
      <p>{t('choose.intro', { count: status.minLength })}</p>
      <div className="field">
        <label htmlFor={`${id}-current`}>{t('change.current')}</label>
        <input id={`${id}-current`} name="current-password" type="password" autoComplete="current-password" required />
      </div>
      <NewPasswordFields id={id} rules={status} fields={newPassword.fields} />
      <ErrorAlert error={error} />
      <div className="actions">
        <Button type="submit" disabled={busy}>
          {t('change.submit')}
        </Button>
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            {t('common:cancel')}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

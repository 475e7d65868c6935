import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as resetApi from '../../../shared/api/password-reset.ts';
import type { PasswordResetState } from '../../../shared/api/password-reset.ts';
import { call } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NewPasswordFields, useNewPassword } from '../../components/password/NewPasswordFields.tsx';
import { useAction } from '../../hooks/use-action.ts';

type ChooseState = Extract<PasswordResetState, { step: 'choose_password' }>;

export function NewPasswordStep({ state, onDone }: { state: ChooseState; onDone(): Promise<void> }) {
  const { t } = useTranslation('password-reset');
  const id = useId();
  const newPassword = useNewPassword();
  const { busy, error, run } = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!newPassword.confirmed()) return;
    void run(async () => {
      await call(resetApi.setNewPassword, { body: { password: newPassword.password } });
      await onDone();
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('choose.title')}</h2>
      <p>{t('choose.intro', { count: state.minLength })}</p>
      <form onSubmit={submit}>
        <NewPasswordFields id={id} rules={state} fields={newPassword.fields} />
        <ErrorAlert error={error} />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('choose.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

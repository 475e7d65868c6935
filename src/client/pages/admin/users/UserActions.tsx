import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
// The admin texts come with the admin pages' code.
import '../../../i18n/admin-namespace.ts';
import * as adminApi from '../../../../shared/api/admin.ts';
import * as api from '../../../../shared/api/admin-users.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';

type ActionName = 'reregister' | 'requirePasswordChange' | 'revoke' | 'deleteAppPasswords' | 'unlock';

/** The account actions, each behind a confirmation; the server logs each and e-mails the user. */
export function UserActions({ username, name, onDone }: { username: string; name: string; onDone(): void }) {
  const { t } = useTranslation('admin');
  const withReauth = useReauth();
  const [open, setOpen] = useState<ActionName | null>(null);
  const [mode, setMode] = useState<api.ReregistrationMode>('after_verification');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const modeId = useId();
  const params = { username };

  const perform: Record<ActionName, () => Promise<string>> = {
    reregister: async () => {
      await call(api.requireReregistration, { params, body: { mode } });
      return t('user.reregister.done', { name });
    },
    requirePasswordChange: async () => {
      await call(api.requirePasswordChange, { params });
      return t('user.requirePasswordChange.done', { name });
    },
    revoke: async () => t('user.revoke.done', { count: (await call(api.revokeUserSessions, { params })).revoked }),
    deleteAppPasswords: async () =>
      t('user.deleteAppPasswords.done', { count: (await call(adminApi.adminDeleteAppPasswords, { params })).deleted }),
    unlock: async () => {
      await call(api.unlockUser, { params });
      return t('user.unlock.done');
    },
  };

  function confirm() {
    const action = open;
    if (!action) return;
    void run(async () => {
      const message = await withReauth(perform[action]);
      setOpen(null);
      setDone(message);
      onDone();
    });
  }
  function cancel() {
    setOpen(null);
    setError(null);
  }
  const start = (action: ActionName) => {
    setDone(null);
    setOpen(action);
  };

  return (
    <section aria-labelledby="user-actions" className="user-section">
      <h2 id="user-actions">{t('user.actions')}</h2>
      <div className="actions">
        <Button variant="secondary" onClick={() => start('reregister')}>
          {t('user.reregister.button')}
        </Button>
        <Button variant="secondary" onClick={() => start('requirePasswordChange')}>
          {t('user.requirePasswordChange.button')}
        </Button>
        <Button variant="secondary" onClick={() => start('revoke')}>
          {t('user.revoke.button')}
        </Button>
        <Button variant="secondary" onClick={() => start('deleteAppPasswords')}>
          {t('user.deleteAppPasswords.button')}
        </Button>
        <Button variant="secondary" onClick={() => start('unlock')}>
          {t('user.unlock.button')}
        </Button>
      </div>
      {done ? (
        <p role="status" className="status">
          {done}
        </p>
      ) : null}

      <ConfirmDialog
        open={open === 'reregister'}
        title={t('user.reregister.title')}
        confirmLabel={t('user.reregister.confirm')}
        onConfirm={confirm}
        onCancel={cancel}
        busy={busy}
        danger
      >
        <p>{t('user.reregister.body', { name })}</p>
        <fieldset>
          <legend>{t('user.reregister.modeLabel')}</legend>
          {api.reregistrationModes.toReversed().map((m) => (
            <div className="radio" key={m}>
              <input type="radio" id={`${modeId}-${m}`} name={modeId} checked={mode === m} onChange={() => setMode(m)} />
              <label htmlFor={`${modeId}-${m}`}>{t(`user.reregister.${m}`)}</label>
            </div>
          ))}
        </fieldset>
        <ErrorAlert error={error} />
      </ConfirmDialog>
      {(['requirePasswordChange', 'revoke', 'deleteAppPasswords', 'unlock'] as const).map((action) => (
        <ConfirmDialog
          key={action}
          open={open === action}
          title={t(`user.${action}.title`, { name })}
          confirmLabel={t(`user.${action}.confirm`)}
          onConfirm={confirm}
          onCancel={cancel}
          busy={busy}
          danger={action === 'revoke' || action === 'deleteAppPasswords'}
        >
          <p>{t(`user.${action}.body`)}</p>
          <ErrorAlert error={error} />
        </ConfirmDialog>
      ))}
    </section>
  );
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/hardware-token.ts';
import type { HardwareToken } from '../../../../shared/api/hardware-token.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ConfirmDialog } from '../../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';

type Open = null | 'assign' | 'unassign' | 'delete';

/** Assign, unassign and delete one token, each confirmed in a dialog; changes need a recent verification. */
export function TokenActions({ token, onChanged }: { token: HardwareToken; onChanged(message: string): void }) {
  const { t } = useTranslation('hardware-token-admin');
  const withReauth = useReauth();
  const { busy, error, setError, run } = useAction();
  const [open, setOpen] = useState<Open>(null);
  const [username, setUsername] = useState('');
  const userId = useId();
  const serial = token.serial;
  const close = () => {
    setError(null);
    setOpen(null);
  };
  const perform = (action: () => Promise<string>) =>
    run(async () => {
      const message = await withReauth(action);
      setOpen(null);
      onChanged(message);
    });
  const activatedNote = token.activated && token.assignedTo ? <p>{t('activatedBody', { user: token.assignedTo })}</p> : null;

  return (
    <>
      {token.assignedTo ? (
        <Button variant="secondary" aria-label={t('unassignNamed', { serial })} onClick={() => setOpen('unassign')}>
          {t('unassign')}
        </Button>
      ) : (
        <Button variant="secondary" aria-label={t('assignNamed', { serial })} onClick={() => setOpen('assign')}>
          {t('assign')}
        </Button>
      )}
      <Button variant="danger" aria-label={t('deleteNamed', { serial })} onClick={() => setOpen('delete')}>
        {t('delete')}
      </Button>
      <ConfirmDialog
        open={open === 'assign'}
        title={t('assignTitle', { serial })}
        confirmLabel={t('assign')}
        busy={busy}
        confirmDisabled={!username.trim()}
        onCancel={close}
        onConfirm={() =>
          void perform(async () => {
            const updated = await call(api.assignHardwareToken, { params: { tokenId: token.id }, body: { username: username.trim() } });
            return t('assigned', { serial, user: updated.assignedTo ?? '' });
          })
        }
      >
        <div className="field">
          <label htmlFor={userId}>{t('assignUser')}</label>
          <input id={userId} value={username} maxLength={128} autoComplete="off" onChange={(e) => setUsername(e.target.value)} />
        </div>
        <ErrorAlert error={open === 'assign' ? error : null} />
      </ConfirmDialog>
      <ConfirmDialog
        open={open === 'unassign'}
        title={t('unassignTitle', { serial })}
        confirmLabel={t('unassign')}
        busy={busy}
        danger={token.activated}
        onCancel={close}
        onConfirm={() =>
          void perform(async () => {
            await call(api.unassignHardwareToken, { params: { tokenId: token.id } });
            return t('unassigned', { serial });
          })
        }
      >
        {activatedNote ?? <p>{t('unassignBody')}</p>}
        <ErrorAlert error={open === 'unassign' ? error : null} />
      </ConfirmDialog>
      <ConfirmDialog
        open={open === 'delete'}
        title={t('deleteTitle', { serial })}
        confirmLabel={t('delete')}
        busy={busy}
        danger
        onCancel={close}
        onConfirm={() =>
          void perform(async () => {
            await call(api.deleteHardwareToken, { params: { tokenId: token.id } });
            return t('deleted', { serial });
          })
        }
      >
        <p>{t('deleteBody')}</p>
        {activatedNote}
        <ErrorAlert error={open === 'delete' ? error : null} />
      </ConfirmDialog>
    </>
  );
}

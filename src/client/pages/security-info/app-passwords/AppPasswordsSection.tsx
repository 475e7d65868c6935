import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/app-passwords.ts';
import type { AppPasswordSummary } from '../../../../shared/api/app-passwords.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { useRemote } from '../../../hooks/use-remote.ts';
import { DeleteAllAppPasswordsDialog } from './DeleteAllAppPasswordsDialog.tsx';
import { DeleteAppPasswordDialog } from './DeleteAppPasswordDialog.tsx';
import { NewAppPasswordDialog } from './NewAppPasswordDialog.tsx';

type Dialogs = { kind: 'none' } | { kind: 'create' } | { kind: 'delete'; item: AppPasswordSummary } | { kind: 'deleteAll' };

/** App passwords for apps that cannot do two-step verification (see docs/reference.md), when the organisation allows them. */
export function AppPasswordsSection() {
  const { t } = useTranslation(['app-passwords', 'common']);
  const formatDate = useFormatDateTime();
  const withReauth = useReauth();
  const { state, set, reload } = useRemote((signal) => call(api.listAppPasswords, {}, { signal }), []);
  const [dialog, setDialog] = useState<Dialogs>({ kind: 'none' });
  const [status, setStatus] = useState('');
  const { busy, error, run } = useAction();
  const list = state.data;
  const close = () => setDialog({ kind: 'none' });

  /** The dialog stays open while the deletion runs, so a re-verification asked for meanwhile shows above it. */
  const remove = (action: () => Promise<string>) =>
    run(async () => {
      setStatus('');
      try {
        setStatus(await action());
      } finally {
        close();
      }
    });

  if (!list) return <ErrorAlert error={state.status === 'error' ? state.error : null} />;
  return (
    <section aria-labelledby="app-passwords-heading" className="app-passwords">
      <div className="section-header">
        <h2 id="app-passwords-heading">{t('title')}</h2>
        {list.allowed ? (
          <Button onClick={() => setDialog({ kind: 'create' })} disabled={list.items.length >= list.max}>
            {t('create')}
          </Button>
        ) : null}
      </div>
      <p>{list.allowed ? t('intro') : t('notAllowed')}</p>
      {list.allowed ? <p className="hint">{t('count', { used: list.items.length, max: list.max })}</p> : null}
      <p role="status" className="status">
        {status}
      </p>
      <ErrorAlert error={error} />
      {list.items.length === 0 ? (
        list.allowed ? (
          <p>{t('empty')}</p>
        ) : null
      ) : (
        <>
          <ul className="method-list" aria-label={t('listLabel')}>
            {list.items.map((item) => (
              <li key={item.id} className="method">
                <div className="method-main">
                  <h3 className="method-kind">{item.name}</h3>
                  <dl className="method-dates">
                    <dt>{t('created')}</dt>
                    <dd>{formatDate(item.createdAt)}</dd>
                    <dt>{t('lastUsed')}</dt>
                    <dd>
                      {item.lastUsedAt
                        ? item.lastUsedIp
                          ? t('lastUsedFrom', { when: formatDate(item.lastUsedAt), ip: item.lastUsedIp })
                          : formatDate(item.lastUsedAt)
                        : t('never')}
                    </dd>
                  </dl>
                </div>
                <div className="method-actions">
                  <Button
                    variant="danger"
                    aria-label={t('deleteNamed', { name: item.name })}
                    onClick={() => setDialog({ kind: 'delete', item })}
                  >
                    {t('delete')}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
          <Button variant="danger" onClick={() => setDialog({ kind: 'deleteAll' })}>
            {t('deleteAll')}
          </Button>
        </>
      )}

      <NewAppPasswordDialog
        open={dialog.kind === 'create'}
        onClose={(created) => {
          setDialog({ kind: 'none' });
          if (created) reload();
        }}
      />

      <DeleteAppPasswordDialog
        item={dialog.kind === 'delete' ? dialog.item : null}
        busy={busy}
        onConfirm={(item) =>
          void remove(async () => {
            set(await withReauth(() => call(api.deleteAppPassword, { params: { appPasswordId: item.id } })));
            return t('status.deleted', { name: item.name });
          })
        }
        onCancel={close}
      />
      <DeleteAllAppPasswordsDialog
        open={dialog.kind === 'deleteAll'}
        busy={busy}
        onConfirm={() =>
          void remove(async () => {
            set(await withReauth(() => call(api.deleteAllAppPasswords)));
            return t('status.deletedAll');
          })
        }
        onCancel={close}
      />
    </section>
  );
}

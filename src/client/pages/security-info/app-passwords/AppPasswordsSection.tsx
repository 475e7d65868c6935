import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/app-passwords.ts';
import type { AppPasswordSummary } from '../../../../shared/api/app-passwords.ts';
import { call } from '../../../api/client.ts';
import { Dialog } from '../../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { useRemote } from '../../../hooks/use-remote.ts';
import { NewAppPasswordDialog } from './NewAppPasswordDialog.tsx';

type Dialogs = { kind: 'none' } | { kind: 'create' } | { kind: 'delete'; item: AppPasswordSummary } | { kind: 'deleteAll' };

/** App passwords for apps that cannot do two-step verification (FACTS.md), when the organisation allows them. */
export function AppPasswordsSection() {
  const { t } = useTranslation(['app-passwords', 'common']);
  const formatDate = useFormatDateTime();
  const withReauth = useReauth();
  const { state, set, reload } = useRemote((signal) => call(api.listAppPasswords, {}, { signal }), []);
  const [dialog, setDialog] = useState<Dialogs>({ kind: 'none' });
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const list = state.data;

  async function remove(action: () => Promise<void>) {
    setError(null);
    setStatus('');
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setDialog({ kind: 'none' });
    }
  }

  if (!list) return <ErrorAlert error={state.status === 'error' ? state.error : null} />;
  return (
    <section aria-labelledby="app-passwords-heading" className="app-passwords">
      <div className="section-header">
        <h2 id="app-passwords-heading">{t('title')}</h2>
        {list.allowed ? (
          <button type="button" className="button" onClick={() => setDialog({ kind: 'create' })} disabled={list.items.length >= list.max}>
            {t('create')}
          </button>
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
                  <button
                    type="button"
                    className="button danger"
                    aria-label={t('deleteNamed', { name: item.name })}
                    onClick={() => setDialog({ kind: 'delete', item })}
                  >
                    {t('delete')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
          <button type="button" className="button danger" onClick={() => setDialog({ kind: 'deleteAll' })}>
            {t('deleteAll')}
          </button>
        </>
      )}

      <NewAppPasswordDialog
        open={dialog.kind === 'create'}
        onClose={(created) => {
          setDialog({ kind: 'none' });
          if (created) reload();
        }}
      />

      <Dialog
        open={dialog.kind === 'delete'}
        title={t('deleteDialog.title')}
        onClose={() => setDialog({ kind: 'none' })}
        actions={
          dialog.kind === 'delete' ? (
            <>
              <button
                type="button"
                className="button danger"
                onClick={() =>
                  void remove(async () => {
                    set(await withReauth(() => call(api.deleteAppPassword, { params: { appPasswordId: dialog.item.id } })));
                    setStatus(t('status.deleted', { name: dialog.item.name }));
                  })
                }
              >
                {t('deleteDialog.confirm')}
              </button>
              <button type="button" className="button secondary" onClick={() => setDialog({ kind: 'none' })}>
                {t('common:cancel')}
              </button>
            </>
          ) : null
        }
      >
        {dialog.kind === 'delete' ? <p>{t('deleteDialog.body', { name: dialog.item.name })}</p> : null}
      </Dialog>

      <Dialog
        open={dialog.kind === 'deleteAll'}
        title={t('deleteAllDialog.title')}
        onClose={() => setDialog({ kind: 'none' })}
        actions={
          <>
            <button
              type="button"
              className="button danger"
              onClick={() =>
                void remove(async () => {
                  set(await withReauth(() => call(api.deleteAllAppPasswords)));
                  setStatus(t('status.deletedAll'));
                })
              }
            >
              {t('deleteAllDialog.confirm')}
            </button>
            <button type="button" className="button secondary" onClick={() => setDialog({ kind: 'none' })}>
              {t('common:cancel')}
            </button>
          </>
        }
      >
        <p>{t('deleteAllDialog.body')}</p>
      </Dialog>
    </section>
  );
}

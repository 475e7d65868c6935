import { useId, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { Dialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useMethodKindName, useMethodTitle } from '../../components/methods/MethodKindName.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { useRemote } from '../../hooks/use-remote.ts';
import { DefaultMethodPicker } from './DefaultMethodPicker.tsx';
import { MethodList } from './MethodList.tsx';
import { AppPasswordsSection } from './app-passwords/AppPasswordsSection.tsx';

type Dialogs =
  { kind: 'none' } | { kind: 'delete'; method: MethodSummary } | { kind: 'rename'; method: MethodSummary } | { kind: 'default' };

export function SecurityInfoPage() {
  const { t } = useTranslation(['security-info', 'common']);
  const kindName = useMethodKindName();
  const methodTitle = useMethodTitle();
  const location = useLocation();
  const withReauth = useReauth();
  const { refresh } = useSession();
  const { state, set } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  const [dialog, setDialog] = useState<Dialogs>({ kind: 'none' });
  const [status, setStatus] = useState<string>((location.state as { message?: string } | null)?.message ?? '');
  const [error, setError] = useState<unknown>(null);
  const [newLabel, setNewLabel] = useState('');
  const renameId = useId();

  const info = state.data;
  const defaultMethod = info?.methods.find((m) => m.id === info.defaultMethodId);

  async function act(action: () => Promise<void>) {
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

  async function remove(method: MethodSummary) {
    await act(async () => {
      set(await withReauth(() => call(api.deleteMethod, { params: { methodId: method.id } })));
      setStatus(t('status.deleted', { method: kindName(method.kind), label: method.label }));
      await refresh();
    });
  }

  async function rename(method: MethodSummary) {
    await act(async () => {
      set(await withReauth(() => call(api.renameMethod, { params: { methodId: method.id }, body: { label: newLabel } })));
      setStatus(t('status.renamed', { label: newLabel }));
      await refresh();
    });
  }

  return (
    <div>
      <PageHeading title={t('title')}>{t('title')}</PageHeading>
      <p className="lead">{t('intro')}</p>
      <p role="status" className="status">
        {status}
      </p>
      <ErrorAlert error={error ?? (state.status === 'error' ? state.error : null)} />
      {state.status === 'loading' && !info ? (
        <p role="status" className="loading">
          {t('common:loading')}
        </p>
      ) : null}
      {info ? (
        <>
          <section className="card default-method" aria-labelledby="default-heading">
            <h2 id="default-heading">{t('default.title')}</h2>
            <p>{defaultMethod ? methodTitle(defaultMethod) : t('default.none')}</p>
            {info.methods.length > 1 ? (
              <button type="button" className="button secondary" onClick={() => setDialog({ kind: 'default' })}>
                {t('default.change')}
              </button>
            ) : null}
          </section>

          <section aria-labelledby="methods-heading">
            <div className="section-header">
              <h2 id="methods-heading">{t('list.title')}</h2>
              <Link className="button" to="/security-info/add">
                {t('add')}
              </Link>
            </div>
            {info.methods.length === 1 ? <p className="nudge">{t('nudge')}</p> : null}
            <MethodList
              methods={info.methods}
              onDelete={(method) => setDialog({ kind: 'delete', method })}
              onRename={(method) => {
                setNewLabel(method.label);
                setDialog({ kind: 'rename', method });
              }}
            />
          </section>

          <AppPasswordsSection />

          <Dialog
            open={dialog.kind === 'default'}
            title={t('default.dialogTitle')}
            onClose={() => setDialog({ kind: 'none' })}
            actions={
              <button type="button" className="button secondary" onClick={() => setDialog({ kind: 'none' })}>
                {t('common:cancel')}
              </button>
            }
          >
            {dialog.kind === 'default' ? (
              <DefaultMethodPicker
                info={info}
                onSaved={(next) => {
                  set(next);
                  setDialog({ kind: 'none' });
                  setStatus(t('status.defaultChanged'));
                }}
              />
            ) : null}
          </Dialog>

          <Dialog
            open={dialog.kind === 'delete'}
            title={t('deleteDialog.title')}
            onClose={() => setDialog({ kind: 'none' })}
            actions={
              dialog.kind === 'delete' ? (
                <>
                  <button type="button" className="button danger" onClick={() => void remove(dialog.method)}>
                    {t('deleteDialog.confirm')}
                  </button>
                  <button type="button" className="button secondary" onClick={() => setDialog({ kind: 'none' })}>
                    {t('common:cancel')}
                  </button>
                </>
              ) : null
            }
          >
            {dialog.kind === 'delete' ? (
              <p>{t('deleteDialog.body', { method: kindName(dialog.method.kind), label: dialog.method.label })}</p>
            ) : null}
          </Dialog>

          <Dialog
            open={dialog.kind === 'rename'}
            title={t('renameDialog.title')}
            onClose={() => setDialog({ kind: 'none' })}
            actions={
              dialog.kind === 'rename' ? (
                <>
                  <button type="button" className="button" disabled={!newLabel.trim()} onClick={() => void rename(dialog.method)}>
                    {t('common:save')}
                  </button>
                  <button type="button" className="button secondary" onClick={() => setDialog({ kind: 'none' })}>
                    {t('common:cancel')}
                  </button>
                </>
              ) : null
            }
          >
            <div className="field">
              <label htmlFor={renameId}>{t('renameDialog.label')}</label>
              <input id={renameId} value={newLabel} maxLength={64} onChange={(e) => setNewLabel(e.target.value)} />
            </div>
          </Dialog>
        </>
      ) : null}
    </div>
  );
}

import { lazy, Suspense, useState } from 'react';
import { useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { Button, ButtonLink } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { stateString } from '../../components/location-state.ts';
import { useMethodKindName } from '../../components/methods/MethodKindName.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { useRemote } from '../../hooks/use-remote.ts';
import { ChangeDefaultDialog } from './ChangeDefaultDialog.tsx';
import { currentDefaultChoice, defaultChoices, useDefaultChoiceTitle } from './default-choices.ts';
import { DeleteMethodDialog } from './DeleteMethodDialog.tsx';
import { MethodList } from './MethodList.tsx';
import { RenameMethodDialog } from './RenameMethodDialog.tsx';
import { AppPasswordsSection } from './app-passwords/AppPasswordsSection.tsx';
import { RecoveryCodesSection } from './recovery-codes/RecoveryCodesSection.tsx';
import { PasswordSection } from './password/PasswordSection.tsx';
import { AskedFirst } from './AskedFirst.tsx';
import { entryOf, useMethodKinds } from '../../components/methods/method-kinds-context.tsx';

// The invitation to a stronger method only concerns users whose usable methods are all phones: it
// loads (and asks the server whether to show itself) only for them.
const StrongerMethodsNudge = lazy(async () => ({ default: (await import('./StrongerMethodsNudge.tsx')).StrongerMethodsNudge }));

type Dialogs =
  { kind: 'none' } | { kind: 'delete'; method: MethodSummary } | { kind: 'rename'; method: MethodSummary } | { kind: 'default' };

export function SecurityInfoPage() {
  const { t } = useTranslation(['security-info', 'common']);
  const kindName = useMethodKindName();
  const choiceTitle = useDefaultChoiceTitle();
  const location = useLocation();
  const withReauth = useReauth();
  const { refresh } = useSession();
  const kinds = useMethodKinds();
  const { state, set } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  const [dialog, setDialog] = useState<Dialogs>({ kind: 'none' });
  const [status, setStatus] = useState<string>(stateString(location.state, 'message') ?? '');
  const { busy, error, run } = useAction();
  const close = () => setDialog({ kind: 'none' });

  const info = state.data;
  const choices = info ? defaultChoices(info) : [];
  const defaultChoice = info && info.defaultMethodId ? currentDefaultChoice(info, choices) : undefined;
  const usableCount = info?.methods.filter((m) => !m.turnedOff).length ?? 0;
  const phonesOnly = usableCount > 0 && info?.methods.every((m) => m.turnedOff || m.kind === 'phone') === true;

  /** The dialog stays open while the change runs, so a re-verification asked for meanwhile shows above it. */
  const change = (action: () => Promise<string>) =>
    run(async () => {
      setStatus('');
      try {
        setStatus(await action());
        await refresh();
      } finally {
        close();
      }
    });

  const remove = (method: MethodSummary) =>
    change(async () => {
      // A kind may tell the browser afterwards (a passkey's provider forgets it); what it needs is read before the delete.
      const afterDelete = await entryOf(kinds, method.kind)
        ?.beforeDelete?.(method)
        .catch(() => undefined);
      set(await withReauth(() => call(api.deleteMethod, { params: { methodId: method.id } })));
      afterDelete?.();
      return t('status.deleted', { method: kindName(method.kind), label: method.label });
    });

  const rename = (method: MethodSummary, label: string) =>
    change(async () => {
      set(await withReauth(() => call(api.renameMethod, { params: { methodId: method.id }, body: { label } })));
      return t('status.renamed', { label });
    });

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
          {phonesOnly ? (
            <Suspense fallback={null}>
              <StrongerMethodsNudge onSnoozed={setStatus} />
            </Suspense>
          ) : null}
          <section className="card default-method" aria-labelledby="default-heading">
            <h2 id="default-heading">{t('default.title')}</h2>
            <p>
              {defaultChoice
                ? choiceTitle(info.defaultDelivery ? defaultChoice : { method: defaultChoice.method })
                : usableCount === 0 && info.methods.length > 0
                  ? t('default.noneUsable')
                  : t('default.none')}
            </p>
            <AskedFirst info={info} />
            {choices.length > 1 || (choices.length === 1 && !defaultChoice) ? (
              <Button variant="secondary" onClick={() => setDialog({ kind: 'default' })}>
                {t('default.change')}
              </Button>
            ) : null}
          </section>

          <section aria-labelledby="methods-heading">
            <div className="section-header">
              <h2 id="methods-heading">{t('list.title')}</h2>
              <ButtonLink to="/security-info/add">{t('add')}</ButtonLink>
            </div>
            {info.methods.length === 1 ? <p className="nudge">{t('nudge')}</p> : null}
            <MethodList
              methods={info.methods}
              onDelete={(method) => setDialog({ kind: 'delete', method })}
              onRename={(method) => setDialog({ kind: 'rename', method })}
            />
          </section>

          <PasswordSection />

          <RecoveryCodesSection />

          <AppPasswordsSection />

          <ChangeDefaultDialog
            open={dialog.kind === 'default'}
            info={info}
            onSaved={(next) => {
              set(next);
              close();
              setStatus(t('status.defaultChanged'));
            }}
            onCancel={close}
          />
          <DeleteMethodDialog
            method={dialog.kind === 'delete' ? dialog.method : null}
            busy={busy}
            onConfirm={(method) => void remove(method)}
            onCancel={close}
          />
          <RenameMethodDialog
            method={dialog.kind === 'rename' ? dialog.method : null}
            busy={busy}
            onSave={(method, label) => void rename(method, label)}
            onCancel={close}
          />
        </>
      ) : null}
    </div>
  );
}

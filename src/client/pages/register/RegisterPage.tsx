import { Suspense, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Loading } from '../../components/Loading.tsx';
import type { MethodKindEntry } from '../../components/methods/method-kind-entry.ts';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useRemote } from '../../hooks/use-remote.ts';
import { AddMethodChoices } from '../security-info/AddMethodChoices.tsx';
import { DefaultMethodPicker } from '../security-info/DefaultMethodPicker.tsx';
import { MethodList } from '../security-info/MethodList.tsx';
import { Button } from '../../components/Button.tsx';

type View = { name: 'overview'; message?: string } | { name: 'add'; entry: MethodKindEntry };

/**
 * The "more information required" interruption: the reason is named, the user
 * registers at least one method, picks a default, and only then goes on.
 */
export function RegisterPage() {
  const { t } = useTranslation('sign-in');
  const { session, setSession } = useSession();
  const navigate = useNavigate();
  const { state, set, reload } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  const [view, setView] = useState<View>({ name: 'overview' });
  const { busy, error, run } = useAction();
  const reason = session?.state.stage === 'registration' ? session.state.reason : null;
  const methodsRequired = session?.state.stage === 'registration' ? session.state.methodsRequired : 1;
  const info = state.data;
  const usable = info?.methods.filter((m) => !m.turnedOff) ?? [];
  // A default the organisation turned off (or none yet) is to be chosen again, from the usable methods only.
  const mustChoose = info !== undefined && info.defaultMethodId === null && usable.length > 0;

  const finish = () =>
    run(async () => {
      setSession(await call(sessionApi.completeRegistration));
      navigate('/security-info', { replace: true });
    });

  return (
    <div className="narrow">
      <PageHeading title={t('registration.title')}>{t('registration.title')}</PageHeading>
      {reason ? <p className="lead">{t(`registration.reason.${reason}`, { n: methodsRequired })}</p> : null}
      <p>{t('registration.intro')}</p>
      {methodsRequired === 2 ? <p>{t('registration.twoRequired')}</p> : null}
      <ErrorAlert error={error ?? (state.status === 'error' ? state.error : null)} />

      {view.name === 'add' && info ? (
        <RegisterMethod
          key={view.entry.kind}
          entry={view.entry}
          info={info}
          onDone={(message) => {
            reload();
            setView({ name: 'overview', message });
          }}
          onCancel={() => setView({ name: 'overview' })}
        />
      ) : null}

      {view.name === 'overview' && info ? (
        <>
          <p role="status" className="status">
            {view.message ?? ''}
          </p>
          {info.methods.length > 0 ? (
            <section aria-labelledby="registered-heading">
              <h2 id="registered-heading">{t('registration.registered')}</h2>
              <MethodList methods={info.methods} />
            </section>
          ) : null}
          <section aria-labelledby="add-heading" className="card">
            <h2 id="add-heading">{info.methods.length === 0 ? t('registration.addFirst') : t('registration.addAnother')}</h2>
            <AddMethodChoices info={info} onChoose={(entry) => setView({ name: 'add', entry })} />
          </section>
          {info.methods.length > 0 ? (
            <section aria-labelledby="finish-heading" className="card">
              <h2 id="finish-heading">{t('registration.chooseDefault')}</h2>
              {mustChoose ? <p>{t('registration.chooseNewDefault')}</p> : null}
              {usable.length === 0 ? (
                <p>{t('registration.noUsable')}</p>
              ) : usable.length > 1 || mustChoose ? (
                <DefaultMethodPicker key={info.defaultMethodId ?? 'none'} info={info} onSaved={set} />
              ) : (
                <p>{t('registration.onlyDefault')}</p>
              )}
              <div className="actions">
                <Button disabled={busy} onClick={() => void finish()}>
                  {t('registration.finish')}
                </Button>
              </div>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** One kind's setup flow inside the interruption; keyed by kind, so the kind's texts hook has a component of its own. */
function RegisterMethod({
  entry,
  info,
  onDone,
  onCancel,
}: {
  entry: MethodKindEntry;
  info: SecurityInfo;
  onDone(message: string): void;
  onCancel(): void;
}) {
  const texts = entry.useTexts();
  return (
    <Suspense fallback={<Loading />}>
      <entry.Setup info={info} onDone={(method) => onDone(texts.added(method))} onCancel={onCancel} />
    </Suspense>
  );
}

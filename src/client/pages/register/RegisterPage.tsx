import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import * as sessionApi from '../../../shared/api/session.ts';
import type { MethodKind } from '../../../shared/policy.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useRemote } from '../../hooks/use-remote.ts';
import { AuthenticatorSetup } from '../../methods/authenticator/AuthenticatorSetup.tsx';
import { WebAuthnSetup } from '../../methods/webauthn/WebAuthnSetup.tsx';
import { PhoneSetup } from '../../methods/phone/PhoneSetup.tsx';
import type { PhoneKind } from '../../../shared/api/common.ts';
import { AddMethodChoices } from '../security-info/AddMethodChoices.tsx';
import { DefaultMethodPicker } from '../security-info/DefaultMethodPicker.tsx';
import { MethodList } from '../security-info/MethodList.tsx';
import { Button } from '../../components/Button.tsx';

type View = { name: 'overview'; message?: string } | { name: 'add'; kind: MethodKind };

/**
 * The "more information required" interruption: the reason is named, the user
 * registers at least one method, picks a default, and only then goes on.
 */
export function RegisterPage() {
  const { t } = useTranslation(['sign-in', 'methods', 'webauthn', 'phone']);
  const { session, setSession } = useSession();
  const navigate = useNavigate();
  const { state, set, reload } = useRemote((signal) => call(api.getSecurityInfo, {}, { signal }), []);
  const [view, setView] = useState<View>({ name: 'overview' });
  const { busy, error, run } = useAction();
  const reason = session?.state.stage === 'registration' ? session.state.reason : null;
  const info = state.data;

  const finish = () =>
    run(async () => {
      setSession(await call(sessionApi.completeRegistration));
      navigate('/security-info', { replace: true });
    });

  return (
    <div className="narrow">
      <PageHeading title={t('registration.title')}>{t('registration.title')}</PageHeading>
      {reason ? <p className="lead">{t(`registration.reason.${reason}`)}</p> : null}
      <p>{t('registration.intro')}</p>
      <ErrorAlert error={error ?? (state.status === 'error' ? state.error : null)} />

      {view.name === 'add' && view.kind === 'authenticator' ? (
        <AuthenticatorSetup
          initialLabel={t('methods:authenticator.defaultName')}
          onDone={(method) => {
            reload();
            setView({ name: 'overview', message: t('methods:authenticator.added', { label: method.label }) });
          }}
          onCancel={() => setView({ name: 'overview' })}
        />
      ) : null}

      {view.name === 'add' && view.kind === 'webauthn' ? (
        <WebAuthnSetup
          onDone={(method) => {
            reload();
            setView({ name: 'overview', message: t('webauthn:setup.added', { label: method.label }) });
          }}
          onCancel={() => setView({ name: 'overview' })}
        />
      ) : null}

      {view.name === 'add' && view.kind === 'phone' ? (
        <PhoneSetup
          takenKinds={(info?.methods ?? []).flatMap((m) => (m.phoneKind ? [m.phoneKind] : [])) as PhoneKind[]}
          onDone={(method) => {
            reload();
            setView({ name: 'overview', message: t('phone:setup.added', { label: method.label, number: method.detail ?? '' }) });
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
            <AddMethodChoices info={info} onChoose={(kind) => setView({ name: 'add', kind })} />
          </section>
          {info.methods.length > 0 ? (
            <section aria-labelledby="finish-heading" className="card">
              <h2 id="finish-heading">{t('registration.chooseDefault')}</h2>
              {info.methods.length > 1 ? <DefaultMethodPicker info={info} onSaved={set} /> : <p>{t('registration.onlyDefault')}</p>}
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

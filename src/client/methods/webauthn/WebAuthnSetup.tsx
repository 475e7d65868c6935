import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as securityInfoApi from '../../../shared/api/security-info.ts';
import * as api from '../../../shared/api/webauthn.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { browserHasWebAuthn, createCredential } from './webauthn-browser.ts';
import { WebAuthnErrorAlert } from './WebAuthnErrorAlert.tsx';
import { Button } from '../../components/Button.tsx';

type Step = { name: 'intro' } | { name: 'naming'; method: MethodSummary };

/**
 * Adding a security key or passkey: the browser's prompt, then a name for it
 * (prefilled with the authenticator's model where known). Nothing is saved if
 * the prompt is cancelled or fails.
 */
export function WebAuthnSetup({ onDone, onCancel }: { onDone(method: MethodSummary): void; onCancel(): void }) {
  const { t } = useTranslation(['webauthn', 'common']);
  const withReauth = useReauth();
  const [step, setStep] = useState<Step>({ name: 'intro' });
  const [label, setLabel] = useState('');
  const { busy, error, run } = useAction();
  const labelId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const supported = browserHasWebAuthn();

  const register = () =>
    run(async () => {
      const { challengeId, options } = await withReauth(() => call(api.startWebAuthnRegistration, { body: {} }));
      const response = await createCredential(options);
      const { method } = await call(api.finishWebAuthnRegistration, { body: { challengeId, fallbackLabel: t('defaultName'), response } });
      setLabel(method.label);
      setStep({ name: 'naming', method });
      requestAnimationFrame(() => heading.current?.focus());
    });

  const saveName = (method: MethodSummary) =>
    run(async () => {
      const name = label.trim();
      if (!name || name === method.label) return onDone(method);
      await withReauth(() => call(securityInfoApi.renameMethod, { params: { methodId: method.id }, body: { label: name } }));
      onDone({ ...method, label: name });
    });

  if (step.name === 'naming') {
    return (
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void saveName(step.method);
        }}
      >
        <h2 ref={heading} tabIndex={-1}>
          {t('setup.nameTitle')}
        </h2>
        <p>{t('setup.registered')}</p>
        <div className="field">
          <label htmlFor={labelId}>{t('setup.nameLabel')}</label>
          <input id={labelId} value={label} maxLength={64} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />
        </div>
        <ErrorAlert error={error} />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('common:save')}
          </Button>
        </div>
      </form>
    );
  }
  return (
    <section className="card" aria-labelledby="webauthn-intro">
      <h2 id="webauthn-intro">{t('setup.introTitle')}</h2>
      <p>{t('setup.intro')}</p>
      {!supported ? (
        <p role="alert" className="alert alert-error">
          {t('problem.unsupported')}
        </p>
      ) : null}
      <WebAuthnErrorAlert error={error} nothingSaved />
      <div className="actions">
        <Button disabled={busy || !supported} onClick={() => void register()}>
          {t('setup.start')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common:cancel')}
        </Button>
      </div>
    </section>
  );
}

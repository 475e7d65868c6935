import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/authenticator.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import type { EndpointResponse } from '../../../shared/endpoint.ts';
import { call } from '../../api/client.ts';
import { CodeInput } from '../../components/CodeInput.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { QrCode } from '../../components/QrCode.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { groupSecret } from './group-secret.ts';
import { Button } from '../../components/Button.tsx';

type Setup = EndpointResponse<typeof api.startAuthenticatorSetup>;
type Step = { name: 'intro' } | { name: 'scan'; setup: Setup; manual: boolean } | { name: 'verify'; setup: Setup };

interface Props {
  /** Reconfigure this app (new phone) instead of adding one. */
  replaceMethodId?: string;
  /** The name offered for the app; "Authenticator app" when none is given. */
  initialLabel?: string;
  onDone(method: MethodSummary): void;
  onCancel(): void;
}

/**
 * Adding (or reconfiguring) an authenticator app: get the app, scan the QR
 * code or type the key, prove it with a code. Nothing is saved until a valid
 * code arrives.
 */
export function AuthenticatorSetup({ replaceMethodId, initialLabel, onDone, onCancel }: Props) {
  const { t } = useTranslation(['methods', 'common']);
  const withReauth = useReauth();
  const [step, setStep] = useState<Step>({ name: 'intro' });
  const { busy, error, setError, run } = useAction();
  const [code, setCode] = useState('');
  const defaultLabel = initialLabel ?? t('authenticator.defaultName');
  const [label, setLabel] = useState(defaultLabel);
  const codeInput = useRef<HTMLInputElement>(null);
  const labelId = useId();
  const stepHeading = useRef<HTMLHeadingElement>(null);

  function go(next: Step) {
    setError(null);
    setStep(next);
    // Move focus to the new step's heading so keyboard and screen-reader users follow along.
    requestAnimationFrame(() => stepHeading.current?.focus());
  }

  const start = () =>
    run(async () => {
      const setup = await withReauth(() => call(api.startAuthenticatorSetup, { body: replaceMethodId ? { replaceMethodId } : {} }));
      go({ name: 'scan', setup, manual: false });
    });

  const confirm = (setup: Setup, value: string) => {
    if (busy) return;
    void run(async () => {
      try {
        const { method } = await call(api.confirmAuthenticatorSetup, {
          body: { setupId: setup.setupId, code: value, label: label.trim() || defaultLabel },
        });
        onDone(method);
      } catch (e) {
        // A wrong code is typed again from scratch.
        setCode('');
        codeInput.current?.focus();
        throw e;
      }
    });
  };

  const total = 3;
  const index = step.name === 'intro' ? 1 : step.name === 'scan' ? 2 : 3;

  return (
    <section className="card wizard" aria-labelledby="wizard-step">
      <p className="step-count">{t('authenticator.stepOf', { current: index, total })}</p>
      {step.name === 'intro' ? (
        <>
          <h2 id="wizard-step" ref={stepHeading} tabIndex={-1}>
            {t('authenticator.introTitle')}
          </h2>
          <p>{t('authenticator.intro')}</p>
          <p className="hint">{t('authenticator.introApps')}</p>
          <ErrorAlert error={error} />
          <div className="actions">
            <Button onClick={() => void start()} disabled={busy}>
              {t('common:next')}
            </Button>
            <Button variant="secondary" onClick={onCancel}>
              {t('common:cancel')}
            </Button>
          </div>
        </>
      ) : null}

      {step.name === 'scan' ? (
        <>
          <h2 id="wizard-step" ref={stepHeading} tabIndex={-1}>
            {t('authenticator.scanTitle')}
          </h2>
          <p>{t('authenticator.scanIntro')}</p>
          <QrCode value={step.setup.otpauthUri} alt={t('authenticator.qrAlt')} />
          {step.manual ? (
            <div className="manual-entry" role="group" aria-labelledby="manual-heading">
              <h3 id="manual-heading">{t('authenticator.manualTitle')}</h3>
              <p>{t('authenticator.manualIntro')}</p>
              <dl className="key-details">
                <dt>{t('authenticator.accountName')}</dt>
                <dd>{step.setup.accountName}</dd>
                <dt>{t('authenticator.secretKey')}</dt>
                <dd>
                  <code className="secret" aria-label={t('authenticator.secretKeySpoken', { key: step.setup.secret.split('').join(' ') })}>
                    {groupSecret(step.setup.secret)}
                  </code>{' '}
                  <CopyButton value={step.setup.secret} label={t('authenticator.copyKey')} />
                </dd>
                <dt>{t('authenticator.keyType')}</dt>
                <dd>{t('authenticator.keyTypeValue')}</dd>
              </dl>
            </div>
          ) : (
            <Button variant="link" onClick={() => setStep({ ...step, manual: true })}>
              {t('authenticator.cantScan')}
            </Button>
          )}
          <div className="actions">
            <Button onClick={() => go({ name: 'verify', setup: step.setup })}>{t('common:next')}</Button>
            <Button variant="secondary" onClick={onCancel}>
              {t('common:cancel')}
            </Button>
          </div>
        </>
      ) : null}

      {step.name === 'verify' ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            confirm(step.setup, code);
          }}
          noValidate
        >
          <h2 id="wizard-step" ref={stepHeading} tabIndex={-1}>
            {t('authenticator.verifyTitle')}
          </h2>
          <div className="field">
            <label htmlFor={labelId}>{t('authenticator.nameLabel')}</label>
            <input id={labelId} value={label} maxLength={64} onChange={(e) => setLabel(e.target.value)} autoComplete="off" />
          </div>
          <CodeInput
            label={t('authenticator.codeLabel')}
            hint={t('authenticator.verifyHint')}
            value={code}
            onChange={setCode}
            onComplete={(c) => confirm(step.setup, c)}
            errorId={error ? 'setup-error' : undefined}
            inputRef={codeInput}
          />
          <ErrorAlert error={error} id="setup-error" />
          <div className="actions">
            <Button type="submit" disabled={busy || code.length !== 6}>
              {t('authenticator.verify')}
            </Button>
            <Button variant="secondary" onClick={() => go({ name: 'scan', setup: step.setup, manual: false })}>
              {t('common:back')}
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

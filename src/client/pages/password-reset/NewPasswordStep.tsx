import { lazy, Suspense, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as resetApi from '../../../shared/api/password-reset.ts';
import type { PasswordResetState } from '../../../shared/api/password-reset.ts';
import { call } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../hooks/use-action.ts';

// The meter brings the strength estimator and its dictionaries: loaded only on this step.
const StrengthMeter = lazy(async () => ({ default: (await import('../../components/password/StrengthMeter.tsx')).StrengthMeter }));

type ChooseState = Extract<PasswordResetState, { step: 'choose_password' }>;

export function NewPasswordStep({ state, onDone }: { state: ChooseState; onDone(): Promise<void> }) {
  const { t } = useTranslation('password-reset');
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    void run(async () => {
      await call(resetApi.setNewPassword, { body: { password } });
      await onDone();
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('choose.title')}</h2>
      <p>{t('choose.intro', { count: state.minLength })}</p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-new`}>{t('choose.label')}</label>
          <input
            id={`${id}-new`}
            name="new-password"
            type="password"
            autoComplete="new-password"
            required
            aria-describedby={`${id}-meter`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Suspense fallback={<div id={`${id}-meter`} />}>
            <StrengthMeter id={`${id}-meter`} password={password} minLength={state.minLength} userInputs={state.personalWords} />
          </Suspense>
        </div>
        <div className="field">
          <label htmlFor={`${id}-confirm`}>{t('choose.confirm')}</label>
          <input
            id={`${id}-confirm`}
            name="confirm-password"
            type="password"
            autoComplete="new-password"
            required
            aria-invalid={mismatch || undefined}
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </div>
        {mismatch ? (
          <p className="alert alert-error" role="alert">
            {t('choose.mismatch')}
          </p>
        ) : null}
        <ErrorAlert error={error} />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('choose.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}

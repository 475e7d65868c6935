import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as resetApi from '../../../shared/api/password-reset.ts';
import type { PasswordResetState } from '../../../shared/api/password-reset.ts';
import type { SignInOption } from '../../../shared/api/common.ts';
import { call } from '../../api/client.ts';
import { ApiError } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { MethodOptionLabel } from '../../components/methods/MethodOptionLabel.tsx';
import { useVerifiableOptions, VerifyWithMethod } from '../../components/methods/VerifyWithMethod.tsx';
import { RecoveryCodeForm } from '../../components/RecoveryCodeForm.tsx';

type ProveState = Extract<PasswordResetState, { step: 'prove' }>;

/**
 * Proof with registered methods: each kind's own verify form, as at sign-in; with two required,
 * a method that has proved the user is not offered again.
 */
export function ProveStep({
  state,
  onProved,
  onExpired,
}: {
  state: ProveState;
  onProved(next: PasswordResetState): void;
  onExpired(): void;
}) {
  const { t } = useTranslation(['password-reset', 'recovery-codes']);
  const usable = useVerifiableOptions(state.options).filter((o) => !state.provedMethodIds.includes(o.methodId));
  // A recovery code is one more way to prove who one is, offered after the methods (and first when no method is left).
  const [chosen, setChosen] = useState<SignInOption | 'recovery' | null>(usable[0] ?? (state.recoveryCode ? 'recovery' : null));
  const [error, setError] = useState<unknown>(null);
  const done = state.provedMethodIds.length;

  async function next() {
    try {
      const state = await call(resetApi.getPasswordReset);
      setChosen(null);
      onProved(state);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'password_reset_expired') onExpired();
      else setError(e);
    }
  }

  return (
    <section className="card" aria-labelledby="prove-heading">
      <h2 id="prove-heading">{t('prove.intro', { count: state.methodsRequired })}</h2>
      {state.methodsRequired > 1 ? <p>{t('prove.progress', { done: done + 1, total: state.methodsRequired })}</p> : null}
      <ErrorAlert error={error} />
      {chosen === 'recovery' && state.recoveryCode ? (
        <>
          <h3>{t('recovery-codes:signIn.title')}</h3>
          <RecoveryCodeForm key={`recovery-${done}`} onDone={() => void next()} />
          {usable.length > 0 ? (
            <div className="actions secondary-actions">
              <Button variant="link" onClick={() => setChosen(null)}>
                {t('prove.other')}
              </Button>
            </div>
          ) : null}
        </>
      ) : chosen && chosen !== 'recovery' && !state.provedMethodIds.includes(chosen.methodId) ? (
        <>
          <VerifyWithMethod key={`${chosen.methodId}-${done}`} option={chosen} onVerified={() => void next()} />
          {usable.length > 1 || state.recoveryCode ? (
            <div className="actions secondary-actions">
              <Button variant="link" onClick={() => setChosen(null)}>
                {t('prove.other')}
              </Button>
            </div>
          ) : null}
        </>
      ) : (
        <>
          <h3>{t('prove.choose')}</h3>
          <ul className="option-list">
            {usable.map((option) => (
              <li key={option.methodId}>
                <button type="button" className="option" onClick={() => setChosen(option)}>
                  <MethodOptionLabel option={option} />
                </button>
              </li>
            ))}
            {state.recoveryCode ? (
              <li>
                <button type="button" className="option" onClick={() => setChosen('recovery')}>
                  {t('recovery-codes:signIn.option')}
                </button>
              </li>
            ) : null}
          </ul>
        </>
      )}
    </section>
  );
}

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
  const { t } = useTranslation('password-reset');
  const usable = useVerifiableOptions(state.options).filter((o) => !state.provedMethodIds.includes(o.methodId));
  const [chosen, setChosen] = useState<SignInOption | null>(usable[0] ?? null);
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
      {chosen && !state.provedMethodIds.includes(chosen.methodId) ? (
        <>
          <VerifyWithMethod key={`${chosen.methodId}-${done}`} option={chosen} onVerified={() => void next()} />
          {usable.length > 1 ? (
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
          </ul>
        </>
      )}
    </section>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInOption } from '../../../shared/api/common.ts';
import type { SessionInfo, SessionState } from '../../../shared/api/session.ts';
import { MethodOptionLabel } from '../../components/methods/MethodOptionLabel.tsx';
import { TurnedOffOptions, useVerifiableOptions, VerifyWithMethod } from '../../components/methods/VerifyWithMethod.tsx';
import { Button } from '../../components/Button.tsx';
import { RecoveryCodeForm } from '../../components/RecoveryCodeForm.tsx';
import { TemporaryAccessPassForm } from './TemporaryAccessPassForm.tsx';

type Step = { view: 'verify'; option: SignInOption } | { view: 'choose' } | { view: 'pass' } | { view: 'recovery' };
type PassOffer = Extract<SessionState, { stage: 'second_factor' }>['temporaryAccessPass'];

/**
 * Second step: the default method first, and always "sign in another way" (see docs/reference.md),
 * which also offers a temporary access pass when the policy allows one. With no usable method left,
 * the pass is all there is, and the page says so.
 */
export function SecondFactorStep({
  options,
  temporaryAccessPass = null,
  recoveryCode = false,
  onDone,
  onCancel,
}: {
  options: SignInOption[];
  temporaryAccessPass?: PassOffer;
  /** The user may type one of their recovery codes (one more way in, listed under "sign in another way"). */
  recoveryCode?: boolean;
  onDone(next: SessionInfo): void;
  onCancel(): void;
}) {
  const { t } = useTranslation(['sign-in', 'recovery-codes']);
  const usable = useVerifiableOptions(options);
  const [step, setStep] = useState<Step>(
    usable[0] ? { view: 'verify', option: usable[0] } : temporaryAccessPass ? { view: 'pass' } : { view: 'choose' },
  );

  const links = (
    <div className="actions secondary-actions">
      {usable.length > 0 || temporaryAccessPass === 'offered' || recoveryCode ? (
        <Button variant="link" onClick={() => setStep({ view: 'choose' })}>
          {t('secondFactor.otherWay')}
        </Button>
      ) : null}
      <Button variant="link" onClick={onCancel}>
        {t('secondFactor.cancel')}
      </Button>
    </div>
  );

  if (step.view === 'pass') {
    const required = temporaryAccessPass === 'required';
    return (
      <section className="card" aria-labelledby="pass-heading">
        <h2 id="pass-heading">{required ? t('tap.requiredTitle') : t('tap.title')}</h2>
        {required ? <p>{t('tap.required')}</p> : null}
        <TemporaryAccessPassForm onDone={onDone} />
        {required ? <TurnedOffOptions options={options} /> : null}
        {links}
      </section>
    );
  }

  if (step.view === 'recovery') {
    return (
      <section className="card" aria-labelledby="recovery-heading">
        <h2 id="recovery-heading">{t('recovery-codes:signIn.title')}</h2>
        <RecoveryCodeForm onDone={onDone} />
        {links}
      </section>
    );
  }

  if (step.view === 'choose') {
    return (
      <section className="card" aria-labelledby="choose-heading">
        <h2 id="choose-heading">{t('secondFactor.chooseTitle')}</h2>
        {usable.length === 0 && !temporaryAccessPass ? <p>{t('secondFactor.noneAvailable')}</p> : null}
        <ul className="option-list">
          {usable.map((option) => (
            <li key={option.methodId}>
              <button type="button" className="option" onClick={() => setStep({ view: 'verify', option })}>
                <MethodOptionLabel option={option} />
              </button>
            </li>
          ))}
          {recoveryCode ? (
            <li>
              <button type="button" className="option" onClick={() => setStep({ view: 'recovery' })}>
                {t('recovery-codes:signIn.option')}
              </button>
            </li>
          ) : null}
          {temporaryAccessPass ? (
            <li>
              <button type="button" className="option" onClick={() => setStep({ view: 'pass' })}>
                {t('tap.option')}
              </button>
            </li>
          ) : null}
        </ul>
        <TurnedOffOptions options={options} />
        <Button variant="link" onClick={onCancel}>
          {t('secondFactor.cancel')}
        </Button>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="verify-heading">
      <h2 id="verify-heading">
        <MethodOptionLabel option={step.option} />
      </h2>
      <VerifyWithMethod option={step.option} onVerified={onDone} />
      {links}
    </section>
  );
}

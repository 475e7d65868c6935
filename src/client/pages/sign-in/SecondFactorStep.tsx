import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInOption } from '../../../shared/api/common.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { MethodOptionLabel } from '../../components/methods/MethodOptionLabel.tsx';
import { useVerifiableOptions, VerifyWithMethod } from '../../components/methods/VerifyWithMethod.tsx';
import { Button } from '../../components/Button.tsx';

type Step = { view: 'verify'; option: SignInOption } | { view: 'choose' };

/** Second step: the default method first, and always "sign in another way" (see docs/reference.md). */
export function SecondFactorStep({
  options,
  onDone,
  onCancel,
}: {
  options: SignInOption[];
  onDone(next: SessionInfo): void;
  onCancel(): void;
}) {
  const { t } = useTranslation('sign-in');
  const usable = useVerifiableOptions(options);
  const [step, setStep] = useState<Step>(usable[0] ? { view: 'verify', option: usable[0] } : { view: 'choose' });

  if (step.view === 'choose') {
    return (
      <section className="card" aria-labelledby="choose-heading">
        <h2 id="choose-heading">{t('secondFactor.chooseTitle')}</h2>
        {usable.length === 0 ? <p>{t('secondFactor.noneAvailable')}</p> : null}
        <ul className="option-list">
          {usable.map((option) => (
            <li key={option.methodId}>
              <button type="button" className="option" onClick={() => setStep({ view: 'verify', option })}>
                <MethodOptionLabel option={option} />
              </button>
            </li>
          ))}
        </ul>
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
      <div className="actions secondary-actions">
        <Button variant="link" onClick={() => setStep({ view: 'choose' })}>
          {t('secondFactor.otherWay')}
        </Button>
        <Button variant="link" onClick={onCancel}>
          {t('secondFactor.cancel')}
        </Button>
      </div>
    </section>
  );
}

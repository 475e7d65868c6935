import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../../i18n/password-reset-namespace.ts';

// The meter brings the strength estimator and its dictionaries: loaded only where a password is chosen.
const StrengthMeter = lazy(async () => ({ default: (await import('./StrengthMeter.tsx')).StrengthMeter }));

/** What the server says a new password must meet (docs/reference.md#new-passwords). */
export interface NewPasswordRules {
  minLength: number;
  personalWords: string[];
}

/** The state of a new password and its confirmation; `confirmed()` is asked on submit and shows a mismatch. */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  return {
    password,
    confirmed(): boolean {
      setMismatch(password !== confirm);
      return password === confirm;
    },
    fields: { password, confirm, mismatch, setPassword, setConfirm },
  };
}

/**
 * A new password with its live strength meter, and the same password again: for a reset and for
 * a change alike, so both apply the rules in the same words.
 */
export function NewPasswordFields({
  id,
  rules,
  fields,
}: {
  id: string;
  rules: NewPasswordRules;
  fields: ReturnType<typeof useNewPassword>['fields'];
}) {
  const { t } = useTranslation('password-reset');
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-new`}>{t('choose.label')}</label>
        <input
          id={`${id}-new`}
          name="new-password"
          type="password"
          autoComplete="new-password"
          required
          aria-describedby={`${id}-meter`}
          value={fields.password}
          onChange={(e) => fields.setPassword(e.target.value)}
        />
        <Suspense fallback={<div id={`${id}-meter`} />}>
          <StrengthMeter id={`${id}-meter`} password={fields.password} minLength={rules.minLength} userInputs={rules.personalWords} />
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
          aria-invalid={fields.mismatch || undefined}
          value={fields.confirm}
          onChange={(e) => fields.setConfirm(e.target.value)}
        />
      </div>
      {fields.mismatch ? (
        <p className="alert alert-error" role="alert">
          {t('choose.mismatch')}
        </p>
      ) : null}
    </>
  );
}

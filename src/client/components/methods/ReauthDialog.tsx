import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInOption } from '../../../shared/api/common.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { useSession } from '../../api/session.tsx';
import { Button } from '../Button.tsx';
import { Dialog } from '../Dialog.tsx';
import { RecoveryCodeForm } from '../RecoveryCodeForm.tsx';
import { MethodOptionLabel } from './MethodOptionLabel.tsx';
import { TurnedOffOptions, useVerifiableOptions, VerifyWithMethod } from './VerifyWithMethod.tsx';

/**
 * "Verify your identity": the default method's form first, and the user's
 * other methods one choice away. `onClose` gets the new session once verified,
 * or null when the user cancels.
 */
export function ReauthDialog({ open, onClose }: { open: boolean; onClose(verified: SessionInfo | null): void }) {
  const { t } = useTranslation(['security-info', 'common', 'recovery-codes']);
  const { session } = useSession();
  const [chosen, setChosen] = useState<SignInOption | null>(null);
  const [recovery, setRecovery] = useState(false);
  const state = session?.state;
  const verifiable = state?.stage === 'signed_in' || state?.stage === 'second_factor' || state?.stage === 'password_change';
  const options = verifiable ? state.options : [];
  const recoveryCode = verifiable && state.recoveryCode === true;
  const usable = useVerifiableOptions(options);
  const option = chosen ?? usable[0] ?? null;

  function close(verified: SessionInfo | null) {
    setChosen(null);
    setRecovery(false);
    onClose(verified);
  }

  return (
    <Dialog
      open={open}
      title={t('reauth.title')}
      onClose={() => close(null)}
      actions={
        <Button variant="secondary" onClick={() => close(null)}>
          {t('common:cancel')}
        </Button>
      }
    >
      <p>{t('reauth.intro')}</p>
      {recovery && open ? (
        <>
          <p className="method-name">{t('recovery-codes:signIn.title')}</p>
          <RecoveryCodeForm onDone={(next) => close(next)} />
          {option ? (
            <Button variant="link" onClick={() => setRecovery(false)}>
              <MethodOptionLabel option={option} />
            </Button>
          ) : null}
        </>
      ) : null}
      {!recovery && !option && recoveryCode && open ? (
        <Button variant="link" onClick={() => setRecovery(true)}>
          {t('recovery-codes:signIn.option')}
        </Button>
      ) : null}
      {!recovery && option && open ? (
        <>
          <p className="method-name">
            <MethodOptionLabel option={option} />
          </p>
          <VerifyWithMethod option={option} onVerified={(next) => close(next)} />
          {usable.length > 1 || recoveryCode ? (
            <fieldset className="other-methods">
              <legend>{t('reauth.otherWay')}</legend>
              {usable
                .filter((o) => o.methodId !== option.methodId)
                .map((o) => (
                  <Button key={o.methodId} variant="link" onClick={() => setChosen(o)}>
                    <MethodOptionLabel option={o} />
                  </Button>
                ))}
              {recoveryCode ? (
                <Button variant="link" onClick={() => setRecovery(true)}>
                  {t('recovery-codes:signIn.option')}
                </Button>
              ) : null}
            </fieldset>
          ) : null}
          <TurnedOffOptions options={options} />
        </>
      ) : null}
    </Dialog>
  );
}

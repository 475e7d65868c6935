import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/phone.ts';
import type { SignInOption } from '../../../shared/api/common.ts';
import { deliveriesFor, type CodeChallenge, type PhoneDelivery } from '../../../shared/api/phone.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { CodeEntry } from './CodeEntry.tsx';
import { Button } from '../../components/Button.tsx';

/** Verifies the user with a code texted or read out to a registered phone: sign-in's second step, or re-verification. */
export function PhoneVerifyForm({ option, onVerified }: { option: SignInOption; onVerified(next: SessionInfo): void }) {
  const { t } = useTranslation('phone');
  // What the organisation allows for this phone (no text messages when SMS is off).
  const deliveries = option.deliveries ?? deliveriesFor(option.phoneKind ?? 'mobile');
  const [challenge, setChallenge] = useState<CodeChallenge | null>(null);
  const { busy, error, run } = useAction();

  const send = (delivery: PhoneDelivery) =>
    run(async () => {
      setChallenge(
        challenge
          ? await call(api.resendPhoneCode, { body: { challengeId: challenge.challengeId, delivery } })
          : await call(api.sendSignInCode, { body: { methodId: option.methodId, delivery } }),
      );
    });

  if (!challenge) {
    return (
      <div>
        <p>{t('verify.intro', { number: option.detail ?? '' })}</p>
        <ErrorAlert error={error} />
        <div className="actions">
          {deliveries.map((d) => (
            <Button key={d} disabled={busy} onClick={() => void send(d)}>
              {t(d === 'sms' ? 'verify.textMe' : 'verify.callMe')}
            </Button>
          ))}
        </div>
      </div>
    );
  }
  return (
    <CodeEntry
      challenge={challenge}
      deliveries={deliveries}
      error={error}
      busy={busy}
      onSubmit={(code) =>
        run(async () => onVerified(await call(api.verifySignInCode, { body: { challengeId: challenge.challengeId, code } })))
      }
      onResend={send}
    />
  );
}

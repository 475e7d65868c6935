import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CodeChallenge, PhoneDelivery } from '../../../shared/api/phone.ts';
import { expectedSmsSenders } from '../../../shared/phone/sms-senders.ts';
import { CodeInput } from '../../components/CodeInput.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatMinutesSeconds, useCountdown } from './use-countdown.ts';
import { Button } from '../../components/Button.tsx';

interface Props {
  challenge: CodeChallenge;
  deliveries: readonly PhoneDelivery[];
  onSubmit(code: string): Promise<void>;
  onResend(delivery: PhoneDelivery): Promise<void>;
  onOtherMethod?(): void;
  error: unknown;
  busy: boolean;
}

/**
 * Entering a code that came by SMS or call: who it comes from, a countdown to
 * its expiry, resend or call instead within the send limit, and always a way
 * to use another method (SMS delivery is not guaranteed; see docs/reference.md).
 */
export function CodeEntry({ challenge, deliveries, onSubmit, onResend, onOtherMethod, error, busy }: Props) {
  const { t } = useTranslation('phone');
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const expiresIn = useCountdown(challenge.expiresInSeconds, challenge.challengeId);
  const nextSendIn = useCountdown(challenge.nextSendInSeconds, `${challenge.challengeId}-send`);
  const senders = expectedSmsSenders(challenge.country);
  const canSend = challenge.sendsRemaining > 0 || nextSendIn === 0;

  async function submit(value: string) {
    await onSubmit(value);
    setCode('');
    input.current?.focus();
  }

  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void submit(code);
      }}
      noValidate
    >
      <p>
        {challenge.delivery === 'sms'
          ? t('code.sentSms', { number: challenge.maskedNumber })
          : t('code.calling', { number: challenge.maskedNumber })}
      </p>
      {challenge.delivery === 'sms' ? (
        <p className="hint">{senders.length > 0 ? t('code.sender', { senders: senders.join(', ') }) : t('code.noFixedSender')}</p>
      ) : null}
      <CodeInput
        label={t('code.label')}
        value={code}
        onChange={setCode}
        onComplete={(c) => void submit(c)}
        errorId={error ? 'phone-code-error' : undefined}
        inputRef={input}
        autoFocus
      />
      {/* The countdown is shown, not announced every second; its end is announced. */}
      <p className="hint" aria-live="off">
        {expiresIn > 0 ? t('code.expiresIn', { time: formatMinutesSeconds(expiresIn) }) : null}
      </p>
      <p role="status" className="hint">
        {expiresIn === 0 ? t('code.expired') : ''}
      </p>
      <ErrorAlert error={error} id="phone-code-error" />
      <div className="actions">
        <Button type="submit" disabled={busy || code.length !== 6}>
          {t('code.verify')}
        </Button>
      </div>
      <div className="actions secondary-actions">
        {deliveries.map((d) => (
          <Button key={d} variant="link" disabled={busy || !canSend} onClick={() => void onResend(d)}>
            {d === challenge.delivery
              ? t(d === 'sms' ? 'code.resendSms' : 'code.callAgain')
              : t(d === 'sms' ? 'code.textInstead' : 'code.callInstead')}
          </Button>
        ))}
        {onOtherMethod ? (
          <Button variant="link" onClick={onOtherMethod}>
            {t('code.otherMethod')}
          </Button>
        ) : null}
      </div>
      <p className="hint">
        {challenge.sendsRemaining > 0
          ? t('code.sendsLeft', { count: challenge.sendsRemaining })
          : nextSendIn > 0
            ? t('code.nextSendIn', { time: formatMinutesSeconds(nextSendIn) })
            : null}
      </p>
    </form>
  );
}

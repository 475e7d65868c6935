import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/phone.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { deliveriesFor, phoneKinds, type CodeChallenge, type PhoneDelivery, type PhoneKind } from '../../../shared/api/phone.ts';
import { ApiError, call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import { CodeEntry } from './CodeEntry.tsx';
import { browserRegion, countryOptions } from './countries.ts';
import { CountrySelect } from './CountrySelect.tsx';
import { Button } from '../../components/Button.tsx';

type Step = { name: 'number' } | { name: 'code'; challenge: CodeChallenge };

interface Props {
  /** Change the number of this phone (its kind stays). */
  replace?: { methodId: string; phoneKind: PhoneKind };
  /** The user's methods: a phone kind already registered is not offered again. */
  info?: SecurityInfo;
  onDone(method: MethodSummary): void;
  onCancel(): void;
}

/** A refused number says why, in the user's language. */
function NumberError({ error }: { error: unknown }) {
  const { t } = useTranslation('phone');
  if (error instanceof ApiError && error.code === 'phone_invalid' && error.data.reason) {
    return (
      <p role="alert" className="alert alert-error" id="phone-number-error">
        {t(`reason.${error.data.reason}`)}
      </p>
    );
  }
  return <ErrorAlert error={error} id="phone-number-error" />;
}

/**
 * Adding a phone, or changing its number: kind, country, number, how to get
 * the code; then the code. Nothing is saved until the number is proved.
 */
export function PhoneSetup({ replace, info, onDone, onCancel }: Props) {
  const { t, i18n } = useTranslation(['phone', 'common', 'methods']);
  const withReauth = useReauth();
  const id = useId();
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);
  const takenKinds = (info?.methods ?? []).flatMap((m) => (m.phoneKind ? [m.phoneKind] : []));
  // The phone kinds and deliveries the organisation allows; all of them when the host page did not say.
  const allowed = info?.canAdd.find((c) => c.kind === 'phone')?.phones;
  const allowedDeliveries = (k: PhoneKind) => allowed?.find((p) => p.phoneKind === k)?.deliveries ?? (allowed ? [] : deliveriesFor(k));
  const available = phoneKinds.filter(
    (k) => allowedDeliveries(k).length > 0 && (k === replace?.phoneKind || (!replace && !takenKinds.includes(k))),
  );
  const [kind, setKind] = useState<PhoneKind>(replace?.phoneKind ?? available[0] ?? 'mobile');
  const [country, setCountry] = useState<string>(() => browserRegion(countries) ?? 'PL');
  const [number, setNumber] = useState('');
  const [extension, setExtension] = useState('');
  const [delivery, setDelivery] = useState<PhoneDelivery>('sms');
  const [step, setStep] = useState<Step>({ name: 'number' });
  const { busy, error, run } = useAction();
  const deliveries = allowedDeliveries(kind);
  const chosenDelivery = deliveries.includes(delivery) ? delivery : (deliveries[0] ?? 'voice');

  const send = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const challenge = await withReauth(() =>
        call(api.startPhoneSetup, {
          body: {
            phoneKind: kind,
            country,
            number,
            ...(kind === 'office' && extension.trim() ? { extension: extension.trim() } : {}),
            delivery: chosenDelivery,
            ...(replace ? { replaceMethodId: replace.methodId } : {}),
          },
        }),
      );
      setStep({ name: 'code', challenge });
    });
  };

  if (available.length === 0) return <p>{t('setup.allKindsTaken')}</p>;

  if (step.name === 'code') {
    return (
      <section className="card" aria-labelledby={`${id}-code`}>
        <h2 id={`${id}-code`}>{t('code.title')}</h2>
        <CodeEntry
          challenge={step.challenge}
          deliveries={deliveries}
          error={error}
          busy={busy}
          onSubmit={(code) =>
            run(async () => {
              const { method } = await call(api.confirmPhoneSetup, {
                body: { challengeId: step.challenge.challengeId, code, label: t(`kind.${kind}`) },
              });
              onDone(method);
            })
          }
          onResend={(d) =>
            run(async () => {
              setStep({
                name: 'code',
                challenge: await call(api.resendPhoneCode, { body: { challengeId: step.challenge.challengeId, delivery: d } }),
              });
            })
          }
          onOtherMethod={onCancel}
        />
      </section>
    );
  }

  return (
    <form className="card" onSubmit={send} noValidate>
      <p className="nudge">
        {t('setup.weaker')} <Link to="/security-info/add">{t('setup.strongerLink')}</Link>
      </p>
      {replace ? null : (
        <fieldset>
          <legend>{t('setup.kindLegend')}</legend>
          {available.map((k) => (
            <div className="radio" key={k}>
              <input type="radio" id={`${id}-${k}`} name="phone-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              <label htmlFor={`${id}-${k}`}>
                {t(`kind.${k}`)} <span className="hint">{t(`kindHint.${k}`)}</span>
              </label>
            </div>
          ))}
        </fieldset>
      )}
      <CountrySelect countries={countries} value={country} onChange={setCountry} />
      <div className="field">
        <label htmlFor={`${id}-number`}>{t('setup.number')}</label>
        <input
          id={`${id}-number`}
          type="tel"
          inputMode="tel"
          autoComplete="tel-national"
          value={number}
          maxLength={40}
          required
          aria-describedby={error ? 'phone-number-error' : undefined}
          onChange={(e) => setNumber(e.target.value)}
        />
      </div>
      {kind === 'office' ? (
        <div className="field">
          <label htmlFor={`${id}-ext`}>{t('setup.extension')}</label>
          <input id={`${id}-ext`} inputMode="numeric" value={extension} maxLength={10} onChange={(e) => setExtension(e.target.value)} />
        </div>
      ) : null}
      <fieldset>
        <legend>{t('setup.deliveryLegend')}</legend>
        {deliveries.map((d) => (
          <div className="radio" key={d}>
            <input
              type="radio"
              id={`${id}-${d}`}
              name="delivery"
              value={d}
              checked={chosenDelivery === d}
              onChange={() => setDelivery(d)}
            />
            <label htmlFor={`${id}-${d}`}>{t(`delivery.${d}`)}</label>
          </div>
        ))}
      </fieldset>
      <p className="hint">{t('setup.charges')}</p>
      <NumberError error={error} />
      <div className="actions">
        <Button type="submit" disabled={busy || !number.trim()}>
          {t('common:next')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common:cancel')}
        </Button>
      </div>
    </form>
  );
}

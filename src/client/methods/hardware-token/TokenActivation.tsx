import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/hardware-token.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { call } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { SetupProps } from '../../components/methods/method-kind-entry.ts';
import { useReauth } from '../../hooks/use-reauth.tsx';
import './forms-texts.ts';
import { ResynchronisedNotice } from './ResynchronisedNotice.tsx';
import { TokenCodeFields } from './TokenCodeFields.tsx';
import { useTokenCodeForm } from './use-token-code-form.ts';

/**
 * Activating the token an administrator handed out: its serial number and the code it shows.
 * Nothing is saved until the code is right; a wrong serial and a wrong code read the same.
 */
export function TokenActivation({ onDone, onCancel }: SetupProps) {
  const { t } = useTranslation(['hardware-token-forms', 'hardware-token', 'common']);
  const withReauth = useReauth();
  const form = useTokenCodeForm();
  const [serial, setSerial] = useState('');
  const defaultLabel = t('defaultName');
  const [label, setLabel] = useState(defaultLabel);
  const [resynchronised, setResynchronised] = useState<MethodSummary | null>(null);
  const serialId = useId();
  const labelId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!serial.trim()) return;
    form.submit(async (codes) => {
      const result = await withReauth(() =>
        call(api.activateHardwareToken, { body: { serial, label: label.trim() || defaultLabel, ...codes } }),
      );
      if (result.resynchronised) setResynchronised(result.method);
      else onDone(result.method);
    });
  }

  if (resynchronised) return <ResynchronisedNotice onContinue={() => onDone(resynchronised)} />;

  return (
    <section className="card wizard" aria-labelledby="token-activation">
      <h2 id="token-activation">{t('hardware-token:addTitle')}</h2>
      <p>{t('activate.intro')}</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={serialId}>{t('activate.serialLabel')}</label>
          <p id={`${serialId}-hint`} className="hint">
            {t('activate.serialHint')}
          </p>
          <input
            id={serialId}
            value={serial}
            maxLength={64}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="characters"
            aria-describedby={`${serialId}-hint`}
            onChange={(e) => setSerial(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={labelId}>{t('activate.nameLabel')}</label>
          <input id={labelId} value={label} maxLength={64} autoComplete="off" onChange={(e) => setLabel(e.target.value)} />
        </div>
        <TokenCodeFields
          codes={form.codes}
          onChange={form.setCodes}
          errorId={form.error ? 'token-activation-error' : undefined}
          inputRef={form.input}
          suggestResync={form.refused}
        />
        <ErrorAlert error={form.error} id="token-activation-error" />
        <div className="actions">
          <Button type="submit" disabled={form.busy || !serial.trim() || !form.ready}>
            {t('activate.submit')}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t('common:cancel')}
          </Button>
        </div>
      </form>
    </section>
  );
}

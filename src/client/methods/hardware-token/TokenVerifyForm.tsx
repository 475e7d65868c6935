import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/hardware-token.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { call } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { VerifyProps } from '../../components/methods/method-kind-entry.ts';
import './forms-texts.ts';
import { ResynchronisedNotice } from './ResynchronisedNotice.tsx';
import { TokenCodeFields } from './TokenCodeFields.tsx';
import { useTokenCodeForm } from './use-token-code-form.ts';

/** Verifies the user with their hardware token's code: sign-in's second step, or re-verification. */
export function TokenVerifyForm({ option, onVerified }: VerifyProps) {
  const { t } = useTranslation('hardware-token-forms');
  const form = useTokenCodeForm();
  const [resynchronised, setResynchronised] = useState<SessionInfo | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    form.submit(async (codes) => {
      const result = await call(api.verifyHardwareToken, { body: { ...codes, methodId: option.methodId } });
      if (result.resynchronised) setResynchronised(result.session);
      else onVerified(result.session);
    });
  }

  if (resynchronised) return <ResynchronisedNotice onContinue={() => onVerified(resynchronised)} />;

  return (
    <form onSubmit={submit} noValidate>
      <TokenCodeFields
        codes={form.codes}
        onChange={form.setCodes}
        errorId={form.error ? 'token-error' : undefined}
        inputRef={form.input}
        autoFocus
        suggestResync={form.refused}
      />
      <ErrorAlert error={form.error} id="token-error" />
      <div className="actions">
        <Button type="submit" disabled={form.busy || !form.ready}>
          {t('verify')}
        </Button>
      </div>
    </form>
  );
}

import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/hardware-token.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { ApiError, call } from '../../api/client.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { VerifyProps } from '../../components/methods/method-kind-entry.ts';
import { useAction } from '../../hooks/use-action.ts';
import { ResynchronisedNotice } from './ResynchronisedNotice.tsx';
import { codesBody, codesReady, noCodes, TokenCodeFields, type TokenCodes } from './TokenCodeFields.tsx';

/** Verifies the user with their hardware token's code: sign-in's second step, or re-verification. */
export function TokenVerifyForm({ option, onVerified }: VerifyProps) {
  const { t } = useTranslation('hardware-token');
  const [codes, setCodes] = useState<TokenCodes>(noCodes);
  const [refused, setRefused] = useState(false);
  const [resynchronised, setResynchronised] = useState<SessionInfo | null>(null);
  const { busy, error, run } = useAction();
  const input = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || !codesReady(codes)) return;
    void run(async () => {
      try {
        const result = await call(api.verifyHardwareToken, { body: { ...codesBody(codes), methodId: option.methodId } });
        if (result.resynchronised) setResynchronised(result.session);
        else onVerified(result.session);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'invalid_code') setRefused(true);
        setCodes({ ...noCodes, resync: codes.resync });
        input.current?.focus();
        throw e;
      }
    });
  }

  if (resynchronised) return <ResynchronisedNotice onContinue={() => onVerified(resynchronised)} />;

  return (
    <form onSubmit={submit} noValidate>
      <TokenCodeFields
        codes={codes}
        onChange={setCodes}
        errorId={error ? 'token-error' : undefined}
        inputRef={input}
        autoFocus
        suggestResync={refused}
      />
      <ErrorAlert error={error} id="token-error" />
      <div className="actions">
        <Button type="submit" disabled={busy || !codesReady(codes)}>
          {t('verify')}
        </Button>
      </div>
    </form>
  );
}

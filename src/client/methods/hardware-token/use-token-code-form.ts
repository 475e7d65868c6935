import { useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useAction } from '../../hooks/use-action.ts';
import { codesBody, codesReady, noCodes, type TokenCodes } from './TokenCodeFields.tsx';

/**
 * The codes a token form holds and their sending, shared by activation and verification: a
 * refused code is typed again from scratch, and after one two codes in a row are suggested
 * (a drifted token is found only so).
 */
export function useTokenCodeForm() {
  const [codes, setCodes] = useState<TokenCodes>(noCodes);
  const [refused, setRefused] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const { busy, error, run } = useAction();

  function submit(send: (body: { code: string; nextCode?: string }) => Promise<void>): void {
    if (busy || !codesReady(codes)) return;
    void run(async () => {
      try {
        await send(codesBody(codes));
      } catch (e) {
        if (e instanceof ApiError && e.code === 'invalid_code') setRefused(true);
        setCodes({ ...noCodes, resync: codes.resync });
        input.current?.focus();
        throw e;
      }
    });
  }

  return { codes, setCodes, refused, input, busy, error, submit, ready: codesReady(codes) };
}

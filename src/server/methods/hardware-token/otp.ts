import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret } from 'otpauth';
import type { TokenAlgorithm, TokenKind } from './schema.ts';

/**
 * Codes of hardware OATH tokens and the windows they are accepted in
 * (docs/reference.md#hardware-tokens). A TOTP code at time step s is the HOTP code for
 * counter s (RFC 6238 §4.2), so one generator serves both kinds.
 */

export interface TokenParams {
  kind: TokenKind;
  algorithm: TokenAlgorithm;
  digits: number;
  /** Seconds per step (TOTP); unused for HOTP. */
  period: number;
}

/** Where a token stands: what was accepted last, and how far its clock is off. */
export interface TokenState {
  /** HOTP: the next counter value a code may have. */
  counter: number;
  /** TOTP: the token's clock offset, in steps. */
  drift: number;
  /** TOTP: the last step accepted; that step and every earlier one are refused. */
  lastStep: number;
}

/** One code alone: HOTP accepts the expected counter or up to 3 past it (RFC 4226 §7.4); TOTP one step either side (RFC 6238 §5.2). */
export const HOTP_WINDOW = 3;
export const TOTP_WINDOW = 1;
/** Two consecutive codes: HOTP searches 50 counters ahead, TOTP 10 steps either side (RFC 4226 §7.4, RFC 6238 §6). */
export const HOTP_RESYNC_WINDOW = 50;
export const TOTP_RESYNC_WINDOW = 10;

export function otpAt(secret: Uint8Array, params: Pick<TokenParams, 'algorithm' | 'digits'>, counter: number): string {
  return new HOTP({ secret: new Secret({ buffer: secret.slice().buffer }), algorithm: params.algorithm, digits: params.digits }).generate({
    counter,
  });
}

/** Constant-time comparison of two codes of the same length (a different length is no match). */
function sameCode(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export type MatchResult =
  { outcome: 'accepted'; state: TokenState; resynchronised: boolean } | { outcome: 'replayed' } | { outcome: 'rejected' };

/**
 * Checks a code (and, to resynchronise, the code the token shows next) against a token.
 * A single code is accepted only inside the normal window; a code further away is found
 * only with the next one right after it, inside the resynchronisation window. The state
 * returned is stored by the caller so no counter or step is ever accepted twice.
 */
export function matchTokenCode(
  secret: Uint8Array,
  params: TokenParams,
  state: TokenState,
  nowMs: number,
  code: string,
  nextCode?: string,
): MatchResult {
  if (code.length !== params.digits || (nextCode !== undefined && nextCode.length !== params.digits)) return { outcome: 'rejected' };
  const codeAt = (counter: number) => otpAt(secret, params, counter);
  if (params.kind === 'hotp') {
    const first = state.counter;
    if (nextCode === undefined) {
      for (let c = first; c <= first + HOTP_WINDOW; c++) {
        if (sameCode(codeAt(c), code)) return { outcome: 'accepted', state: { ...state, counter: c + 1 }, resynchronised: false };
      }
      // A code of a counter already used (RFC 4226 §7.2: never accept it again): say so.
      for (let c = Math.max(0, first - HOTP_WINDOW - 1); c < first; c++) if (sameCode(codeAt(c), code)) return { outcome: 'replayed' };
      return { outcome: 'rejected' };
    }
    let next = codeAt(first);
    for (let c = first; c < first + HOTP_RESYNC_WINDOW; c++) {
      const current = next;
      next = codeAt(c + 1);
      if (sameCode(current, code) && sameCode(next, nextCode)) {
        return { outcome: 'accepted', state: { ...state, counter: c + 2 }, resynchronised: true };
      }
    }
    return { outcome: 'rejected' };
  }
  const realStep = Math.floor(nowMs / 1000 / params.period);
  const expected = realStep + state.drift;
  if (nextCode === undefined) {
    for (let s = expected - TOTP_WINDOW; s <= expected + TOTP_WINDOW; s++) {
      if (!sameCode(codeAt(s), code)) continue;
      if (s <= state.lastStep) return { outcome: 'replayed' };
      return { outcome: 'accepted', state: { ...state, lastStep: s }, resynchronised: false };
    }
    return { outcome: 'rejected' };
  }
  let next = codeAt(expected - TOTP_RESYNC_WINDOW);
  for (let s = expected - TOTP_RESYNC_WINDOW; s < expected + TOTP_RESYNC_WINDOW; s++) {
    const current = next;
    next = codeAt(s + 1);
    if (s > state.lastStep && sameCode(current, code) && sameCode(next, nextCode)) {
      // The second code is the one the token shows now: its step tells the clock's offset.
      return { outcome: 'accepted', state: { ...state, lastStep: s + 1, drift: s + 1 - realStep }, resynchronised: true };
    }
  }
  return { outcome: 'rejected' };
}

/**
 * A base32 secret (RFC 4648) as token vendors write it: any case, spaces and `=` padding
 * allowed. Null when it is not base32.
 */
export function decodeBase32Secret(text: string): Uint8Array | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  if (clean.length === 0 || !/^[A-Z2-7]+$/.test(clean)) return null;
  return Secret.fromBase32(clean).bytes;
}

/** RFC 4226 §4 R6 asks for at least 128 bits of secret. */
export const MIN_SECRET_BYTES = 16;

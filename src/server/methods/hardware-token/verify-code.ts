import { randomBytes } from 'node:crypto';
import { ApiError, tooManyAttempts } from '../../core/api-error.ts';
import type { ServerContext } from '../../core/context.ts';
import { backoffWait, clearFailures, recordFailure, type BackoffPolicy } from '../../core/auth/throttle.ts';
import { matchTokenCode, type TokenState } from './otp.ts';
import { openTokenSecret, sealTokenSecret, stateOf, type TokenRow } from './store.ts';

/**
 * Hardware-token codes are throttled like authenticator-app codes: five free failures, then
 * doubling waits up to 15 minutes (RFC 4226 §7.3, NIST SP 800-63B §5.2.2). They count on the
 * same per-user counter, so switching between an app and a token buys no extra guesses, and
 * the administrator's user page shows and clears it (docs/reference.md#hardware-tokens).
 */
const backoff: BackoffPolicy = { freeFailures: 5, baseSeconds: 2, maxSeconds: 15 * 60 };
const throttleKey = (userId: string) => `totp:${userId}`;

/** Checked in place of a token when there is none to check, so an unknown serial costs the same work. */
const standIn: TokenRow = {
  id: 'stand-in',
  serial: '',
  kind: 'hotp',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: 0,
  drift: 0,
  last_step: -1,
  secret_enc: '',
  manufacturer: null,
  model: null,
  assigned_user_id: null,
  method_id: null,
  imported_at: 0,
  last_used_at: null,
};
/** Sealed once per server, so checking the stand-in opens a sealed secret as a real check does. */
const standInSealed = new WeakMap<ServerContext, TokenRow>();
function standInFor(ctx: ServerContext): TokenRow {
  let token = standInSealed.get(ctx);
  if (!token) {
    token = { ...standIn, secret_enc: sealTokenSecret(ctx, standIn.id, randomBytes(20)) };
    standInSealed.set(ctx, token);
  }
  return token;
}

export interface TokenMatch {
  token: TokenRow;
  state: TokenState;
  resynchronised: boolean;
}

/**
 * Finds which of the candidate tokens shows this code (and, to resynchronise, the next one).
 * Nothing is stored: the caller saves the state with saveTokenState, which refuses a second use.
 * `neutral`: every failure is `invalid_code` (activation, where a used code or an unknown
 * serial must not be told apart from a wrong code).
 */
export async function matchCodeOfTokens(
  ctx: ServerContext,
  userId: string,
  candidates: readonly TokenRow[],
  codes: { code: string; nextCode?: string | undefined },
  options: { neutral?: boolean } = {},
): Promise<TokenMatch> {
  const wait = await backoffWait(ctx, throttleKey(userId));
  if (wait > 0) throw tooManyAttempts(wait);
  const now = ctx.clock.now();
  let replayed = false;
  const stand = standInFor(ctx);
  for (const token of candidates.length > 0 ? candidates : [stand]) {
    const result = matchTokenCode(openTokenSecret(ctx, token), token, stateOf(token), now, codes.code, codes.nextCode);
    if (result.outcome === 'accepted' && token !== stand) return { token, state: result.state, resynchronised: result.resynchronised };
    if (result.outcome === 'replayed') replayed = true;
  }
  const { failures, waitSeconds } = await recordFailure(ctx, throttleKey(userId), backoff);
  if (replayed && !options.neutral) throw new ApiError(400, 'code_already_used');
  if (waitSeconds > 0 && failures > backoff.freeFailures) throw tooManyAttempts(waitSeconds);
  throw new ApiError(400, 'invalid_code', { attemptsLeft: Math.max(0, backoff.freeFailures - failures) });
}

export async function clearCodeFailures(ctx: ServerContext, userId: string): Promise<void> {
  await clearFailures(ctx, throttleKey(userId));
}

/** A code that matched but whose use another request stored first: a replay. */
export async function refuseLostRace(ctx: ServerContext, userId: string, neutral = false): Promise<never> {
  await recordFailure(ctx, throttleKey(userId), backoff);
  throw neutral ? new ApiError(400, 'invalid_code') : new ApiError(400, 'code_already_used');
}

import type { ServerContext } from '../context.ts';
import { backoffStates, clearFailures, consumeRate, peekRate, recordFailure, type BackoffPolicy, type RateLimit } from './throttle.ts';

/**
 * Password guessing is limited three ways, all keyed by the user name as typed
 * (so an unknown name behaves exactly like a known one):
 * - per account and client IP: back-off after 5 failures, doubling to 15 min;
 *   a victim signing in from elsewhere is not held up by an attacker's IP;
 * - per account, from all IPs: back-off after 20 failures, doubling to 5 min,
 *   and a 24-hour lock at 100 consecutive failures (NIST SP 800-63B §5.2.2:
 *   no more than 100 consecutive failed attempts). Reaching it takes hours of
 *   sustained guessing, and it only ever blocks the password step;
 * - per client IP across accounts (password spraying): 100 failures per 15 min.
 */
export const accountAndIpBackoff: BackoffPolicy = { freeFailures: 5, baseSeconds: 1, maxSeconds: 15 * 60 };
export const accountBackoff: BackoffPolicy = {
  freeFailures: 20,
  baseSeconds: 1,
  maxSeconds: 5 * 60,
  hardLimit: 100,
  hardLockSeconds: 24 * 60 * 60,
};
export const ipFailureLimit: RateLimit = { limit: 100, windowSeconds: 15 * 60 };

function keys(username: string, ip: string) {
  const account = username.trim().toLowerCase();
  return { account: `pw:acct:${account}`, accountIp: `pw:acct-ip:${account}|${ip}`, ip: `pw:ip:${ip}` };
}

/** Where a user name stands before a password check from this IP. */
export interface PasswordThrottleState {
  /** Seconds to wait before it may try (0 = go ahead). */
  waitSeconds: number;
  /** Its back-off counters that have failures, which a correct password clears; empty for most sign-ins. */
  failing: string[];
}

/** Two queries: both back-off counters in one, the IP's recent failures in the other. */
export async function passwordThrottleState(ctx: ServerContext, username: string, ip: string): Promise<PasswordThrottleState> {
  const k = keys(username, ip);
  const [counters, ipState] = await Promise.all([backoffStates(ctx, [k.account, k.accountIp]), peekRate(ctx, k.ip, ipFailureLimit)]);
  return {
    waitSeconds: Math.max(ipState.retryAfterSeconds, ...[...counters.values()].map((c) => c.waitSeconds)),
    failing: [...counters.keys()],
  };
}

/** Seconds to wait before this user name may try a password from this IP (0 = go ahead). */
export async function passwordWait(ctx: ServerContext, username: string, ip: string): Promise<number> {
  return (await passwordThrottleState(ctx, username, ip)).waitSeconds;
}

export async function recordPasswordFailure(ctx: ServerContext, username: string, ip: string): Promise<void> {
  const k = keys(username, ip);
  await recordFailure(ctx, k.accountIp, accountAndIpBackoff);
  await recordFailure(ctx, k.account, accountBackoff);
  await consumeRate(ctx, k.ip, ipFailureLimit);
}

/**
 * A correct password clears the back-off counters that had failures when it was checked; with none
 * (nearly every sign-in) nothing is written. A failure counted by a concurrent request after the
 * check stays counted: the stricter side.
 */
export async function recordPasswordSuccess(ctx: ServerContext, before: PasswordThrottleState): Promise<void> {
  for (const key of before.failing) await clearFailures(ctx, key);
}

import type { ServerContext } from '../context.ts';
import { backoffWait, clearFailures, consumeRate, peekRate, recordFailure, type BackoffPolicy, type RateLimit } from './throttle.ts';

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

/** Seconds to wait before this user name may try a password from this IP (0 = go ahead). */
export async function passwordWait(ctx: ServerContext, username: string, ip: string): Promise<number> {
  const k = keys(username, ip);
  const [account, accountIp, ipState] = await Promise.all([
    backoffWait(ctx, k.account),
    backoffWait(ctx, k.accountIp),
    peekRate(ctx, k.ip, ipFailureLimit),
  ]);
  return Math.max(account, accountIp, ipState.retryAfterSeconds);
}

export async function recordPasswordFailure(ctx: ServerContext, username: string, ip: string): Promise<void> {
  const k = keys(username, ip);
  await recordFailure(ctx, k.accountIp, accountAndIpBackoff);
  await recordFailure(ctx, k.account, accountBackoff);
  await consumeRate(ctx, k.ip, ipFailureLimit);
}

export async function recordPasswordSuccess(ctx: ServerContext, username: string, ip: string): Promise<void> {
  const k = keys(username, ip);
  await clearFailures(ctx, k.accountIp);
  await clearFailures(ctx, k.account);
}

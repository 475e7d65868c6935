import type { ServerContext } from '../../core/context.ts';
import {
  backoffState,
  clearFailures,
  consumeRate,
  peekRate,
  recordFailure,
  type BackoffPolicy,
  type RateLimit,
} from '../../core/auth/throttle.ts';

/**
 * Legacy clients retry stale passwords on every poll, so one misconfigured
 * client must not lock its owner out: the per-account-and-IP back-off starts
 * after 10 failures. Across IPs the account gets the same hard ceiling as the
 * web sign-in (100 consecutive failures, NIST SP 800-63B §5.2.2), and one IP
 * cannot spray many accounts.
 */
const accountAndIp: BackoffPolicy = { freeFailures: 10, baseSeconds: 1, maxSeconds: 15 * 60 };
const account: BackoffPolicy = { freeFailures: 20, baseSeconds: 1, maxSeconds: 5 * 60, hardLimit: 100, hardLockSeconds: 24 * 60 * 60 };
const perIp: RateLimit = { limit: 100, windowSeconds: 15 * 60 };

const keys = (username: string, ip: string) => {
  const a = username.trim().toLowerCase();
  return { account: `legacy:acct:${a}`, accountIp: `legacy:acct-ip:${a}|${ip}`, ip: `legacy:ip:${ip}` };
};

export interface LegacyThrottleState {
  waitSeconds: number;
  /** Whether there are failures to forget after a success (so the hot path writes only when needed). */
  hasFailures: boolean;
}

export async function legacyThrottleState(ctx: ServerContext, username: string, ip: string): Promise<LegacyThrottleState> {
  const k = keys(username, ip);
  const [a, ai, i] = await Promise.all([backoffState(ctx, k.account), backoffState(ctx, k.accountIp), peekRate(ctx, k.ip, perIp)]);
  return { waitSeconds: Math.max(a.waitSeconds, ai.waitSeconds, i.retryAfterSeconds), hasFailures: a.failures + ai.failures > 0 };
}

export async function recordLegacyFailure(ctx: ServerContext, username: string, ip: string): Promise<void> {
  const k = keys(username, ip);
  await recordFailure(ctx, k.accountIp, accountAndIp);
  await recordFailure(ctx, k.account, account);
  await consumeRate(ctx, k.ip, perIp);
}

export async function clearLegacyFailures(ctx: ServerContext, username: string, ip: string): Promise<void> {
  const k = keys(username, ip);
  await Promise.all([clearFailures(ctx, k.account), clearFailures(ctx, k.accountIp)]);
}

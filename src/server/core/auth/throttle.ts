import { sql } from 'kysely';
import type { ServerContext } from '../context.ts';
import { newId } from '../crypto/random.ts';

/**
 * Counters live in the database, not in one process, so every server
 * instance sees the same failures and the same sends.
 */

/** Consecutive-failure throttling with exponential back-off (NIST SP 800-63B §5.2.2). */
export interface BackoffPolicy {
  /** Failures allowed before any waiting starts. */
  freeFailures: number;
  /** The first wait; it doubles with each further failure. */
  baseSeconds: number;
  maxSeconds: number;
  /** After this many consecutive failures the key is locked for hardLockSeconds, then starts afresh. */
  hardLimit?: number;
  hardLockSeconds?: number;
}

export function backoffSeconds(policy: BackoffPolicy, failures: number): number {
  if (policy.hardLimit !== undefined && failures >= policy.hardLimit) return policy.hardLockSeconds ?? policy.maxSeconds;
  if (failures < policy.freeFailures) return 0;
  const exponent = Math.min(failures - policy.freeFailures, 30);
  return Math.min(policy.baseSeconds * 2 ** exponent, policy.maxSeconds);
}

/** Seconds the key must still wait (0 when it may try now), and its consecutive failures. */
export async function backoffState(ctx: ServerContext, key: string): Promise<{ waitSeconds: number; failures: number }> {
  const row = await ctx.db.selectFrom('throttle_counters').select(['blocked_until', 'failures']).where('key', '=', key).executeTakeFirst();
  const now = ctx.clock.now();
  return {
    waitSeconds: row && row.blocked_until > now ? Math.ceil((row.blocked_until - now) / 1000) : 0,
    failures: row?.failures ?? 0,
  };
}

/**
 * The states of several keys in one query. A key without a row has no failures to count (none
 * yet, or cleared by a success), so it is absent from the map: the caller knows without another
 * query that there is nothing to clear.
 */
export async function backoffStates(
  ctx: ServerContext,
  keys: readonly string[],
): Promise<Map<string, { waitSeconds: number; failures: number }>> {
  const rows = await ctx.db
    .selectFrom('throttle_counters')
    .select(['key', 'blocked_until', 'failures'])
    .where('key', 'in', [...keys])
    .execute();
  const now = ctx.clock.now();
  return new Map(
    rows.map((row) => [
      row.key,
      { waitSeconds: row.blocked_until > now ? Math.ceil((row.blocked_until - now) / 1000) : 0, failures: row.failures },
    ]),
  );
}

/** Seconds the key must still wait (0 when it may try now). */
export async function backoffWait(ctx: ServerContext, key: string): Promise<number> {
  return (await backoffState(ctx, key)).waitSeconds;
}

/** Counts one failure atomically and returns the failures so far and the wait it imposes. */
export async function recordFailure(
  ctx: ServerContext,
  key: string,
  policy: BackoffPolicy,
): Promise<{ failures: number; waitSeconds: number }> {
  const now = ctx.clock.now();
  // A key whose hard lock has run out starts again from one.
  const next =
    policy.hardLimit === undefined
      ? sql<number>`throttle_counters.failures + 1`
      : sql<number>`case when throttle_counters.failures >= ${sql.lit(policy.hardLimit)}
          and throttle_counters.blocked_until <= ${now} then 1 else throttle_counters.failures + 1 end`;
  const row = await ctx.db
    .insertInto('throttle_counters')
    .values({ key, failures: 1, last_failure_at: now, blocked_until: 0 })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: next, last_failure_at: now }))
    .returning('failures')
    .executeTakeFirstOrThrow();
  const waitSeconds = backoffSeconds(policy, row.failures);
  if (waitSeconds > 0) {
    await ctx.db
      .updateTable('throttle_counters')
      .set({ blocked_until: now + waitSeconds * 1000 })
      .where('key', '=', key)
      .execute();
  }
  return { failures: row.failures, waitSeconds };
}

export async function clearFailures(ctx: ServerContext, key: string): Promise<void> {
  await ctx.db.deleteFrom('throttle_counters').where('key', '=', key).execute();
}

export async function failureCount(ctx: ServerContext, key: string): Promise<number> {
  const row = await ctx.db.selectFrom('throttle_counters').select('failures').where('key', '=', key).executeTakeFirst();
  return row?.failures ?? 0;
}

/** At most `limit` events per sliding window of `windowSeconds`. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

export interface RateState {
  allowed: boolean;
  /** Events still allowed in the current window. */
  remaining: number;
  /** Seconds until the next event is allowed (0 when it is allowed now). */
  retryAfterSeconds: number;
}

async function rateState(ctx: ServerContext, key: string, rule: RateLimit, now: number): Promise<RateState> {
  const since = now - rule.windowSeconds * 1000;
  const events = await ctx.db
    .selectFrom('rate_events')
    .select('at')
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'asc')
    .execute();
  const remaining = Math.max(0, rule.limit - events.length);
  // The oldest event still in the window decides when a slot frees up.
  const oldest = events[events.length - rule.limit]?.at;
  const retryAfterSeconds = remaining > 0 || oldest === undefined ? 0 : Math.ceil((oldest + rule.windowSeconds * 1000 - now) / 1000);
  return { allowed: remaining > 0, remaining, retryAfterSeconds };
}

export async function peekRate(ctx: ServerContext, key: string, rule: RateLimit): Promise<RateState> {
  return rateState(ctx, key, rule, ctx.clock.now());
}

/**
 * Takes one slot. Insert first, count second: two instances racing for the
 * last slot may both be refused, but never both allowed.
 */
export async function consumeRate(ctx: ServerContext, key: string, rule: RateLimit): Promise<RateState> {
  const now = ctx.clock.now();
  await ctx.db
    .deleteFrom('rate_events')
    .where('key', '=', key)
    .where('at', '<=', now - rule.windowSeconds * 1000)
    .execute();
  const id = newId();
  await ctx.db.insertInto('rate_events').values({ id, key, at: now }).execute();
  const after = await rateState(ctx, key, { ...rule, limit: rule.limit + 1 }, now);
  if (after.remaining === 0 && after.retryAfterSeconds > 0) {
    // Over the limit (or tied in a race): give the slot back and refuse.
    await ctx.db.deleteFrom('rate_events').where('id', '=', id).execute();
    const state = await rateState(ctx, key, rule, now);
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, state.retryAfterSeconds) };
  }
  return { allowed: true, remaining: Math.max(0, after.remaining - 1), retryAfterSeconds: 0 };
}

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

const ACCOUNT = 'legacy:acct:';
const ACCOUNT_IP = 'legacy:acct-ip:';
const IP = 'legacy:ip:';

const accountOf = (username: string) => username.trim().toLowerCase();
const keys = (username: string, ip: string) => {
  const a = accountOf(username);
  return { account: `${ACCOUNT}${a}`, accountIp: `${ACCOUNT_IP}${a}|${ip}`, ip: `${IP}${ip}` };
};

export interface LegacyThrottleState {
  waitSeconds: number;
  /** Whether there are failures to forget after a success (so the hot path writes only when needed). */
  hasFailures: boolean;
}

/** What an account and IP with no recent failures anywhere have: nothing to wait for, nothing to clear. */
const CLEAN: LegacyThrottleState = { waitSeconds: 0, hasFailures: false };

/**
 * The throttle state, read from the database only when the hints say the account or the IP failed
 * recently on some instance; otherwise no failures are stored for them and the reads are skipped.
 */
export async function legacyThrottleState(
  ctx: ServerContext,
  hints: LegacyThrottleHints,
  username: string,
  ip: string,
): Promise<LegacyThrottleState> {
  if (!hints.mayHaveFailures(username, ip)) return CLEAN;
  const k = keys(username, ip);
  const [a, ai, i] = await Promise.all([backoffState(ctx, k.account), backoffState(ctx, k.accountIp), peekRate(ctx, k.ip, perIp)]);
  const hasFailures = a.failures + ai.failures > 0;
  if (!hasFailures) hints.forgetAccount(username);
  if (i.remaining === perIp.limit) hints.forgetIp(ip);
  return { waitSeconds: Math.max(a.waitSeconds, ai.waitSeconds, i.retryAfterSeconds), hasFailures };
}

export async function recordLegacyFailure(ctx: ServerContext, hints: LegacyThrottleHints, username: string, ip: string): Promise<void> {
  const k = keys(username, ip);
  // Noted first: a request on this instance that starts while these writes run must already read them.
  hints.noteFailure(username, ip, ctx.clock.now());
  await recordFailure(ctx, k.accountIp, accountAndIp);
  await recordFailure(ctx, k.account, account);
  await consumeRate(ctx, k.ip, perIp);
}

export async function clearLegacyFailures(ctx: ServerContext, hints: LegacyThrottleHints, username: string, ip: string): Promise<void> {
  const k = keys(username, ip);
  await Promise.all([clearFailures(ctx, k.account), clearFailures(ctx, k.accountIp)]);
  hints.forgetAccount(username);
}

/** Hints kept before the instance gives up on them and reads the throttle state on every attempt for a while. */
const MAX_HINTS = 100_000;
/** Rows this far behind the newest seen are read again, for transactions that committed late. */
const LATE_COMMIT_MS = 1_000;

/**
 * Which accounts and IPs have legacy failures stored, as far as this instance knows
 * (docs/reference.md#throttle-hints). Its own failures are noted at once; those of other instances
 * come from the database on the change feed's timer (every 250 ms): the throttle rows and rate events
 * written since the last look, found by their time indexes. At start, and after an overflow, it reads
 * every stored legacy failure; until then it answers "maybe" for everyone. An account's hint goes when
 * a read finds no failures for it; an IP's when its window has passed or a read finds no events.
 */
export class LegacyThrottleHints {
  readonly #accounts = new Set<string>();
  /** IP → the time of its newest failure seen. */
  readonly #ips = new Map<string, number>();
  #loaded = false;
  #overflowUntil = 0;
  #throttleSince = 0;
  #rateSince = 0;
  readonly #ctx: ServerContext;

  constructor(ctx: ServerContext) {
    this.#ctx = ctx;
    ctx.changes.every(() => this.refresh());
  }

  mayHaveFailures(username: string, ip: string): boolean {
    if (!this.#loaded) return true;
    return this.#accounts.has(accountOf(username)) || this.#ips.has(ip);
  }

  noteFailure(username: string, ip: string, at: number): void {
    this.#accounts.add(accountOf(username));
    this.#ips.set(ip, Math.max(at, this.#ips.get(ip) ?? 0));
    this.#checkSize();
  }

  forgetAccount(username: string): void {
    this.#accounts.delete(accountOf(username));
  }

  forgetIp(ip: string): void {
    this.#ips.delete(ip);
  }

  /** Reads what other instances recorded since the last call. */
  async refresh(): Promise<void> {
    const now = this.#ctx.clock.now();
    const window = perIp.windowSeconds * 1000;
    if (this.#overflowUntil > now) return;
    if (!this.#loaded) {
      this.#throttleSince = -1;
      this.#rateSince = now - window;
    }
    const db = this.#ctx.db;
    const throttleRows = await db
      .selectFrom('throttle_counters')
      .select(['key', 'last_failure_at'])
      .where('last_failure_at', '>', this.#throttleSince)
      .where('key', 'like', 'legacy:%')
      .execute();
    const rateRows = await db
      .selectFrom('rate_events')
      .select((eb) => ['key', eb.fn.max('at').as('at')])
      .where('at', '>', this.#rateSince)
      .where('key', 'like', `${IP}%`)
      .groupBy('key')
      .execute();
    for (const row of throttleRows) {
      const at = Number(row.last_failure_at);
      if (row.key.startsWith(ACCOUNT)) this.#accounts.add(row.key.slice(ACCOUNT.length));
      else if (row.key.startsWith(ACCOUNT_IP)) {
        const rest = row.key.slice(ACCOUNT_IP.length);
        const bar = rest.indexOf('|');
        this.#accounts.add(rest.slice(0, bar));
        if (at > now - window) this.#ips.set(rest.slice(bar + 1), Math.max(at, this.#ips.get(rest.slice(bar + 1)) ?? 0));
      }
      this.#throttleSince = Math.max(this.#throttleSince, at - LATE_COMMIT_MS);
    }
    for (const row of rateRows) {
      const at = Number(row.at);
      const ip = row.key.slice(IP.length);
      this.#ips.set(ip, Math.max(at, this.#ips.get(ip) ?? 0));
      this.#rateSince = Math.max(this.#rateSince, at - LATE_COMMIT_MS);
    }
    for (const [ip, at] of this.#ips) if (at <= now - window) this.#ips.delete(ip);
    this.#loaded = true;
    this.#checkSize();
  }

  #checkSize(): void {
    if (this.#accounts.size + this.#ips.size <= MAX_HINTS) return;
    // Under a spray of many names or IPs: read the state on every attempt for one window, then load afresh.
    this.#accounts.clear();
    this.#ips.clear();
    this.#loaded = false;
    this.#overflowUntil = this.#ctx.clock.now() + perIp.windowSeconds * 1000;
  }
}

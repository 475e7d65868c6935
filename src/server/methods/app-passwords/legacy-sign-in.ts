import { usernameSchema } from '../../../shared/api/common.ts';
import { writeVerificationLogGrouped, type LogSubject } from '../../core/audit/verification-log.ts';
import type { ServerContext } from '../../core/context.ts';
import { verifyPassword } from '../../core/auth/passwords.ts';
import { passwordWait, recordPasswordFailure } from '../../core/auth/password-throttle.ts';
import { getPolicy } from '../../core/security-info/policy-store.ts';
import { findUserByUsername, normalizeUsername } from '../../core/users/users.ts';
import { generateAppPassword, hashAppPassword, normalizeAppPassword, verifyAppPassword } from './app-password-secret.ts';
import { LegacyCache, type LegacyAccount, type LegacyUser, type LegacyVerifier } from './legacy-cache.ts';
import { clearLegacyFailures, legacyThrottleState, LegacyThrottleHints, recordLegacyFailure } from './legacy-throttle.ts';

/** The reference product's number for "this account needs two-step verification; use an app password". */
export const APP_PASSWORD_REQUIRED_CODE = '0x800434D4L';
/** Writing last-used on every poll would make each legacy sign-in a write; once a minute is accurate enough. */
const LAST_USED_PRECISION_MS = 60_000;

export type LegacyDenial = 'invalid_credentials' | 'app_password_required' | 'app_passwords_disabled';

export type LegacySignInResult =
  | { outcome: 'success'; user: LegacyUser }
  | { outcome: 'denied'; reason: LegacyDenial }
  | { outcome: 'throttled'; retryAfterSeconds: number };

export interface LegacyCredentials {
  username: string;
  password: string;
  /** The client's address: throttling key, verification log, and the app password's "last used". */
  clientIp: string;
}

/**
 * The one check of a user name and app password for every legacy sign-in:
 * the HTTP endpoint, nginx's mail `auth_http` and Dovecot's checkpassword
 * helper. It applies the policy, the throttles (back-off per account and IP,
 * the account's ceiling, the IP's budget), writes the verification log and
 * the app password's last use, and says what happened; callers only
 * translate the result into their protocol.
 */
export async function verifyLegacySignIn(ctx: ServerContext, credentials: LegacyCredentials): Promise<LegacySignInResult> {
  const { password, clientIp: ip } = credentials;
  // User text like any other (docs/reference.md#user-text): a name no account can have is refused before
  // it reaches the database; callers with a protocol of their own (HTTP) say so more precisely first.
  const parsedName = usernameSchema.safeParse(credentials.username);
  if (!parsedName.success) return { outcome: 'denied', reason: 'invalid_credentials' };
  const username = parsedName.data;
  const { cache, hints } = legacyState(ctx);

  const throttle = await legacyThrottleState(ctx, hints, username, ip);
  if (throttle.waitSeconds > 0) return { outcome: 'throttled', retryAfterSeconds: throttle.waitSeconds };

  const normalized = normalizeAppPassword(password);
  if (!normalized) return accountPasswordTyped(ctx, hints, username, password, ip);

  // The policy, the user and their verifiers come from this instance's cache (docs/reference.md#caches-across-instances).
  const policy = await cache.policy(() => getPolicy(ctx));
  const account = await cache.account(normalizeUsername(username), (name) => loadAccount(ctx, name));
  const { user } = account;
  const deny = denial(ctx, user ?? unknownSubject(username), ip);
  if (!policy.appPasswords.allowed) return deny('app_passwords_disabled');

  // Check every stored hash, not stopping at the first match, so timing says nothing about which or how many;
  // an unknown name, or one without app passwords, costs one check against a decoy
  // (docs/reference.md#constant-work-for-unknown-accounts).
  let match: LegacyVerifier | undefined;
  for (const v of account.verifiers) if (verifyAppPassword(ctx.keys.appPasswordHashing, normalized, v.hash) && !match) match = v;
  if (account.verifiers.length === 0) verifyAppPassword(ctx.keys.appPasswordHashing, normalized, decoyHash(ctx));
  if (!user || !match) {
    await recordLegacyFailure(ctx, hints, username, ip);
    return deny('invalid_credentials');
  }

  const now = ctx.clock.now();
  if (throttle.hasFailures) await clearLegacyFailures(ctx, hints, username, ip);
  if (match.lastUsedAt === null || now - match.lastUsedAt >= LAST_USED_PRECISION_MS) {
    match.lastUsedAt = now;
    await ctx.db.updateTable('app_passwords').set({ last_used_at: now, last_used_ip: ip }).where('id', '=', match.id).execute();
  }
  await writeVerificationLogGrouped(ctx, {
    user,
    event: 'legacy_sign_in',
    authMode: 'app_password',
    result: 'success',
    deviceToken: match.id,
    clientIp: ip,
  });
  return { outcome: 'success', user };
}

/** Not an app password: most likely the account password typed into an old client. Rare, so read straight from the database. */
async function accountPasswordTyped(
  ctx: ServerContext,
  hints: LegacyThrottleHints,
  username: string,
  password: string,
  ip: string,
): Promise<LegacySignInResult> {
  const wait = await passwordWait(ctx, username, ip);
  if (wait > 0) return { outcome: 'throttled', retryAfterSeconds: wait };
  const user = await findUserByUsername(ctx, username);
  const deny = denial(ctx, user ?? unknownSubject(username), ip);
  // The hash is computed whether or not the account exists (against a dummy hash when it does not),
  // so the time of the answer does not tell which user names exist (docs/reference.md#constant-work-for-unknown-accounts).
  const passwordMatches = await verifyPassword(user?.password_hash, password);
  if (user && passwordMatches) {
    // The FACTS answer for a non-browser app on an account with two-step verification.
    return deny('app_password_required');
  }
  await recordPasswordFailure(ctx, username, ip);
  return deny('invalid_credentials');
}

const unknownSubject = (username: string): LogSubject => ({ id: null, username: username.trim().toLowerCase().slice(0, 128) });

/** Logs the denial (group-committed with concurrent attempts) before the answer goes out. */
function denial(ctx: ServerContext, subject: LogSubject, ip: string) {
  return async (reason: LegacyDenial): Promise<LegacySignInResult> => {
    await writeVerificationLogGrouped(ctx, {
      user: subject,
      event: 'legacy_sign_in',
      authMode: 'app_password',
      result: 'denied',
      denialReason: reason,
      clientIp: ip,
    });
    return { outcome: 'denied', reason };
  };
}

async function loadAccount(ctx: ServerContext, username: string): Promise<LegacyAccount> {
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'first_name', 'last_name', 'email'])
    .where('username', '=', username)
    .executeTakeFirst();
  // The same query for an unknown user name (it finds nothing), so both take the same path to the database.
  const rows = await ctx.db
    .selectFrom('app_passwords')
    .select(['id', 'hash', 'last_used_at'])
    .where('user_id', '=', user?.id ?? '')
    .execute();
  return { user, verifiers: rows.map((r) => ({ id: r.id, hash: r.hash, lastUsedAt: r.last_used_at })) };
}

interface LegacyState {
  cache: LegacyCache;
  hints: LegacyThrottleHints;
  decoyHash: string;
}

/** One per instance (keyed by its change feed, which transaction contexts share). */
const states = new WeakMap<ServerContext['changes'], LegacyState>();

/** This instance's cache and throttle hints; the routes create them when they are mounted, so the hints load at start. */
export function legacyState(ctx: ServerContext): LegacyState {
  let state = states.get(ctx.changes);
  if (!state) {
    state = {
      cache: new LegacyCache(ctx.changes),
      hints: new LegacyThrottleHints(ctx),
      decoyHash: hashAppPassword(ctx.keys.appPasswordHashing, generateAppPassword()),
    };
    states.set(ctx.changes, state);
  }
  return state;
}

const decoyHash = (ctx: ServerContext) => legacyState(ctx).decoyHash;

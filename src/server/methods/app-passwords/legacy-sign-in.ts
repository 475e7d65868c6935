import { writeVerificationLog, type LogSubject } from '../../core/audit/verification-log.ts';
import type { ServerContext } from '../../core/context.ts';
import { verifyPassword } from '../../core/auth/passwords.ts';
import { passwordWait, recordPasswordFailure } from '../../core/auth/password-throttle.ts';
import { getPolicy } from '../../core/security-info/policy-store.ts';
import { findUserByUsername, type UserRow } from '../../core/users/users.ts';
import { normalizeAppPassword, verifyAppPassword } from './app-password-secret.ts';
import { clearLegacyFailures, legacyThrottleState, recordLegacyFailure } from './legacy-throttle.ts';

/** The reference product's number for "this account needs two-step verification; use an app password". */
export const APP_PASSWORD_REQUIRED_CODE = '0x800434D4L';
/** Writing last-used on every poll would make each legacy sign-in a write; once a minute is accurate enough. */
const LAST_USED_PRECISION_MS = 60_000;

export type LegacyDenial = 'invalid_credentials' | 'app_password_required' | 'app_passwords_disabled';

export type LegacySignInResult =
  { outcome: 'success'; user: UserRow } | { outcome: 'denied'; reason: LegacyDenial } | { outcome: 'throttled'; retryAfterSeconds: number };

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
  const { username, password, clientIp: ip } = credentials;

  const throttle = await legacyThrottleState(ctx, username, ip);
  if (throttle.waitSeconds > 0) return { outcome: 'throttled', retryAfterSeconds: throttle.waitSeconds };

  const user = await findUserByUsername(ctx, username);
  const subject: LogSubject = user ?? { id: null, username: username.trim().toLowerCase().slice(0, 128) };
  const deny = async (reason: LegacyDenial): Promise<LegacySignInResult> => {
    await writeVerificationLog(ctx, {
      user: subject,
      event: 'legacy_sign_in',
      authMode: 'app_password',
      result: 'denied',
      denialReason: reason,
      clientIp: ip,
    });
    return { outcome: 'denied', reason };
  };

  const normalized = normalizeAppPassword(password);
  if (!normalized) {
    // Not an app password: most likely the account password typed into an old client.
    const wait = await passwordWait(ctx, username, ip);
    if (wait > 0) return { outcome: 'throttled', retryAfterSeconds: wait };
    if (user && (await verifyPassword(user.password_hash, password))) {
      // The FACTS answer for a non-browser app on an account with two-step verification.
      return deny('app_password_required');
    }
    await recordPasswordFailure(ctx, username, ip);
    return deny('invalid_credentials');
  }

  const policy = await getPolicy(ctx);
  if (!policy.appPasswords.allowed) return deny('app_passwords_disabled');

  const rows = user
    ? await ctx.db.selectFrom('app_passwords').select(['id', 'hash', 'last_used_at']).where('user_id', '=', user.id).execute()
    : [];
  // Check every stored hash, not stopping at the first match, so timing says nothing about which or how many.
  let match: (typeof rows)[number] | undefined;
  for (const row of rows) if (verifyAppPassword(ctx.keys.appPasswordHashing, normalized, row.hash) && !match) match = row;
  if (!user || !match) {
    await recordLegacyFailure(ctx, username, ip);
    return deny('invalid_credentials');
  }

  const now = ctx.clock.now();
  if (throttle.hasFailures) await clearLegacyFailures(ctx, username, ip);
  if (match.last_used_at === null || now - match.last_used_at >= LAST_USED_PRECISION_MS) {
    await ctx.db.updateTable('app_passwords').set({ last_used_at: now, last_used_ip: ip }).where('id', '=', match.id).execute();
  }
  await writeVerificationLog(ctx, {
    user,
    event: 'legacy_sign_in',
    authMode: 'app_password',
    result: 'success',
    deviceToken: match.id,
    clientIp: ip,
  });
  return { outcome: 'success', user };
}

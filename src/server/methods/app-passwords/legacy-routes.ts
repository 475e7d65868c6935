import type { FastifyInstance } from 'fastify';
import { appPasswords as api, usernameSchema } from '../../../shared/api/index.ts';
import { writeVerificationLog, type LogSubject } from '../../core/audit/verification-log.ts';
import { verifyPassword } from '../../core/auth/passwords.ts';
import { passwordWait, recordPasswordFailure } from '../../core/auth/password-throttle.ts';
import { ApiError, tooManyAttempts } from '../../core/api-error.ts';
import { route } from '../../core/http/route.ts';
import { getPolicy } from '../../core/security-info/policy-store.ts';
import { displayName, findUserByUsername } from '../../core/users/users.ts';
import { normalizeAppPassword, verifyAppPassword } from './app-password-secret.ts';
import { parseBasicAuth } from './basic-auth.ts';
import { clearLegacyFailures, legacyThrottleState, recordLegacyFailure } from './legacy-throttle.ts';

const CHALLENGE = { 'www-authenticate': 'Basic realm="Security Info legacy sign-in", charset="UTF-8"' };
/** The reference product's number for "this account needs two-step verification; use an app password". */
export const APP_PASSWORD_REQUIRED_CODE = '0x800434D4L';
/** Writing last-used on every poll would make each legacy sign-in a write; once a minute is accurate enough. */
const LAST_USED_PRECISION_MS = 60_000;

export function legacyRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.legacyWhoAmI, async ({ req }) => {
    const credentials = parseBasicAuth(req.headers.authorization);
    if (credentials === 'missing') throw new ApiError(401, 'unauthenticated', {}, CHALLENGE);
    if (credentials === 'malformed') throw new ApiError(400, 'invalid_input', {}, CHALLENGE);
    // The user name a client sends is user text like any other, checked and normalised by the same schema.
    const parsedName = usernameSchema.safeParse(credentials.username);
    if (!parsedName.success) throw new ApiError(400, 'invalid_text', {}, CHALLENGE);
    const username = parsedName.data;
    const { password } = credentials;
    const ip = req.ip;

    const throttle = await legacyThrottleState(ctx, username, ip);
    if (throttle.waitSeconds > 0) throw tooManyAttempts(throttle.waitSeconds);

    const user = await findUserByUsername(ctx, username);
    const subject: LogSubject = user ?? { id: null, username: username.trim().toLowerCase().slice(0, 128) };
    const deny = async (reason: string, status: number, code: ConstructorParameters<typeof ApiError>[1], data = {}) => {
      await writeVerificationLog(ctx, {
        user: subject,
        event: 'legacy_sign_in',
        authMode: 'app_password',
        result: 'denied',
        denialReason: reason,
        clientIp: ip,
      });
      return new ApiError(status, code, data, CHALLENGE);
    };

    const normalized = normalizeAppPassword(password);
    if (!normalized) {
      // Not an app password: most likely the account password typed into an old client.
      const wait = await passwordWait(ctx, username, ip);
      if (wait > 0) throw tooManyAttempts(wait);
      // The hash is computed whether or not the account exists (against a dummy hash when it does not),
      // so the time of the answer does not tell which user names exist (OWASP ASVS 5.0 V6.3.8).
      const passwordMatches = await verifyPassword(user?.password_hash, password);
      if (user && passwordMatches) {
        // The FACTS answer for a non-browser app on an account with two-step verification.
        throw await deny('app_password_required', 401, 'app_password_required', { legacyCode: APP_PASSWORD_REQUIRED_CODE });
      }
      await recordPasswordFailure(ctx, username, ip);
      throw await deny('invalid_credentials', 401, 'invalid_credentials');
    }

    const policy = await getPolicy(ctx);
    if (!policy.appPasswords.allowed) throw await deny('app_passwords_disabled', 401, 'app_passwords_disabled');

    // The same query for an unknown user name (it finds nothing), so both take the same path to the database.
    const rows = await ctx.db
      .selectFrom('app_passwords')
      .select(['id', 'hash', 'last_used_at'])
      .where('user_id', '=', user?.id ?? '')
      .execute();
    // Check every stored hash, not stopping at the first match, so timing says nothing about which or how many.
    let match: (typeof rows)[number] | undefined;
    for (const row of rows) if (verifyAppPassword(ctx.keys.appPasswordHashing, normalized, row.hash) && !match) match = row;
    if (!user || !match) {
      await recordLegacyFailure(ctx, username, ip);
      throw await deny('invalid_credentials', 401, 'invalid_credentials');
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
    return { username: user.username, displayName: displayName(user) };
  });
}

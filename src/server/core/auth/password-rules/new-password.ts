import type { OrgPolicy } from '../../../../shared/policy.ts';
import { assessPassword, passwordLength, personalWords } from '../../../../shared/password/rules.ts';
import { ApiError } from '../../api-error.ts';
import type { ServerContext } from '../../context.ts';
import { displayName, type UserRow } from '../../users/users.ts';
import { verifyPassword } from '../passwords.ts';

/**
 * The shipped list of common passwords (docs/reference.md#new-passwords), compared without regard
 * to case. Read at the first new password, not at start: it is a fifth of the server's code and
 * most instances seldom see a new password (docs/reference.md#server-start).
 */
let common: Promise<Set<string>> | undefined;
const commonPasswords = () =>
  (common ??= import('./common-passwords.json', { with: { type: 'json' } }).then((list) => new Set<string>(list.default)));

/** The words a strength estimate should treat as guessable for this person. */
export function personalWordsOf(ctx: ServerContext, user: UserRow): string[] {
  return personalWords([user.username, user.first_name, user.last_name, displayName(user), user.email?.split('@')[0], ctx.config.issuer]);
}

/** What the client's strength meter needs to apply these rules as the user types. */
export function newPasswordRules(ctx: ServerContext, user: UserRow, policy: OrgPolicy): { minLength: number; personalWords: string[] } {
  return { minLength: policy.passwords.minLength, personalWords: personalWordsOf(ctx, user) };
}

/**
 * Every rule a new password must meet (docs/reference.md#new-passwords), in the order a person
 * can act on: long enough, not a common password, not easy to guess, not the current one.
 * Throws the refusal as an API error; resolves when the password may be set.
 */
export async function checkNewPassword(ctx: ServerContext, user: UserRow, policy: OrgPolicy, password: string): Promise<void> {
  const minLength = policy.passwords.minLength;
  if (passwordLength(password) < minLength) throw new ApiError(400, 'password_too_short', { minLength });
  if ((await commonPasswords()).has(password.toLowerCase())) throw new ApiError(400, 'password_common');
  const verdict = await assessPassword(password, { minLength, userInputs: personalWordsOf(ctx, user) });
  if (!verdict.ok) {
    if (verdict.code === 'password_too_short') throw new ApiError(400, 'password_too_short', { minLength });
    throw new ApiError(400, 'password_weak', {
      passwordFeedback: { warning: verdict.estimate.warning, suggestions: verdict.estimate.suggestions },
    });
  }
  if (await verifyPassword(user.password_hash, password)) throw new ApiError(400, 'password_same_as_current');
}

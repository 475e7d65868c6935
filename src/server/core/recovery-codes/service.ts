import { createHmac, randomInt } from 'node:crypto';
import type { RecoveryCodeStatus } from '../../../shared/api/recovery-codes.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { ApiError, tooManyAttempts } from '../api-error.ts';
import { writeVerificationLog } from '../audit/verification-log.ts';
import { backoffWait, clearFailures, recordFailure, type BackoffPolicy } from '../auth/throttle.ts';
import type { ServerContext } from '../context.ts';
import { notifyRecoveryCodes } from '../notify/security-info-changed.ts';
import { inTransaction } from '../transaction.ts';
import type { UserRow } from '../users/users.ts';
import { consumeRecoveryCode, recoveryCodeCountOf, replaceRecoveryCodes } from './store.ts';

/**
 * Recovery codes (docs/reference.md#recovery-codes): ten single-use codes a
 * user keeps on paper for the day their methods are out of reach. Like a
 * temporary access pass they prove the user without being a method: no
 * default, and never the "last usable method".
 */

/**
 * Crockford's base 32 alphabet: no I, L, O or U. 32 symbols carry 5 bits each,
 * so a 10-character code carries 50 bits. Typed O, I and L are read as 0, 1, 1.
 */
export const RECOVERY_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_LENGTH = 10;
export const RECOVERY_CODE_COUNT = 10;
/** At this many codes left or fewer, the Security info page warns. */
export const RECOVERY_CODES_LOW = 3;

/** Same throttle as other codes: five free failures, then doubling waits up to 15 minutes. */
export const recoveryCodeBackoff: BackoffPolicy = { freeFailures: 5, baseSeconds: 2, maxSeconds: 15 * 60 };
export const recoveryThrottleKey = (userId: string) => `recovery:${userId}`;

/** Shown and downloaded in two groups of five, `ABCDE-FGHJK`. */
export function formatRecoveryCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function generateRecoveryCode(): string {
  let code = '';
  // randomInt draws from the CSPRNG without modulo bias.
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) code += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)];
  return code;
}

/** What a person may type: any case, with spaces or dashes, O for 0 and I or L for 1. */
export function normalizeRecoveryCode(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** Keyed with its own derived key and bound to the user, so a copy of the table yields nothing usable. */
function codeHash(ctx: ServerContext, userId: string, code: string): string {
  return createHmac('sha256', ctx.keys.recoveryCodeHashing).update(`${userId}:${code}`).digest('hex');
}

export async function recoveryCodeStatus(ctx: ServerContext, policy: OrgPolicy, userId: string): Promise<RecoveryCodeStatus> {
  const { remaining, createdAt } = await recoveryCodeCountOf(ctx, userId);
  return {
    enabled: policy.recoveryCodes.enabled,
    remaining,
    total: RECOVERY_CODE_COUNT,
    low: remaining <= RECOVERY_CODES_LOW,
    generatedAt: createdAt === null ? null : new Date(createdAt).toISOString(),
  };
}

/** True when the user may type a recovery code now: the policy allows them and at least one is left. */
export async function recoveryCodeOffered(ctx: ServerContext, policy: OrgPolicy, userId: string): Promise<boolean> {
  return policy.recoveryCodes.enabled && (await recoveryCodeCountOf(ctx, userId)).remaining > 0;
}

function requireEnabled(policy: OrgPolicy): void {
  if (!policy.recoveryCodes.enabled) throw new ApiError(409, 'recovery_codes_disabled');
}

/** A new set of ten, replacing the old set whole; the codes are returned this once and only their hashes are kept. */
export async function generateRecoveryCodes(
  ctx: ServerContext,
  policy: OrgPolicy,
  user: UserRow,
  clientIp: string,
): Promise<{ codes: string[]; status: RecoveryCodeStatus }> {
  requireEnabled(policy);
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(generateRecoveryCode());
  const list = [...codes];
  const replaced = (await recoveryCodeCountOf(ctx, user.id)).createdAt !== null;
  await inTransaction(ctx, async (tx) => {
    await replaceRecoveryCodes(
      tx,
      user.id,
      list.map((code) => codeHash(ctx, user.id, code)),
      ctx.clock.now(),
    );
    await writeVerificationLog(tx, {
      user,
      event: replaced ? 'security_info.recovery_codes_regenerated' : 'security_info.recovery_codes_generated',
      authMode: 'recovery_code',
      result: 'success',
      clientIp,
    });
    await notifyRecoveryCodes(tx, user, replaced ? 'recovery_codes_regenerated' : 'recovery_codes_generated', RECOVERY_CODE_COUNT);
  });
  return { codes: list.map(formatRecoveryCode), status: await recoveryCodeStatus(ctx, policy, user.id) };
}

/**
 * Checks a typed recovery code and uses it up: the one function every place
 * that accepts recovery codes calls (the second step, re-verification, and a
 * password reset). A wrong code, a used one and an empty set all get the same
 * answer; attempts are throttled like other codes; a success is logged under
 * `event` and e-mailed. Returns how many codes are left.
 */
export async function verifyAndConsumeRecoveryCode(
  ctx: ServerContext,
  policy: OrgPolicy,
  user: UserRow,
  input: { code: string; event: string; clientIp: string },
): Promise<{ remaining: number }> {
  const deny = (denialReason: string) =>
    writeVerificationLog(ctx, {
      user,
      event: input.event,
      authMode: 'recovery_code',
      result: 'denied',
      denialReason,
      clientIp: input.clientIp,
    });
  if (!policy.recoveryCodes.enabled) {
    await deny('recovery_codes_disabled');
    throw new ApiError(409, 'recovery_codes_disabled');
  }
  const wait = await backoffWait(ctx, recoveryThrottleKey(user.id));
  if (wait > 0) {
    await deny('too_many_attempts');
    throw tooManyAttempts(wait);
  }
  const hash = codeHash(ctx, user.id, normalizeRecoveryCode(input.code));
  // The row is found by its keyed hash, never by the code: timing tells nothing about codes one does not have.
  const won = await inTransaction(ctx, async (tx) => {
    if (!(await consumeRecoveryCode(tx, user.id, hash))) return null;
    const { remaining } = await recoveryCodeCountOf(tx, user.id);
    await writeVerificationLog(tx, {
      user,
      event: input.event,
      authMode: 'recovery_code',
      result: 'success',
      clientIp: input.clientIp,
    });
    await notifyRecoveryCodes(tx, user, 'recovery_code_used', remaining);
    return { remaining };
  });
  if (!won) {
    const { failures, waitSeconds } = await recordFailure(ctx, recoveryThrottleKey(user.id), recoveryCodeBackoff);
    await deny('recovery_code_invalid');
    if (waitSeconds > 0 && failures > recoveryCodeBackoff.freeFailures) throw tooManyAttempts(waitSeconds);
    throw new ApiError(400, 'recovery_code_invalid', { attemptsLeft: Math.max(0, recoveryCodeBackoff.freeFailures - failures) });
  }
  await clearFailures(ctx, recoveryThrottleKey(user.id));
  return won;
}

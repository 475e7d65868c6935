import { createHmac, randomInt } from 'node:crypto';
import type { TemporaryAccessPassInfo } from '../../../shared/api/temporary-access-pass.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { ApiError, tooManyAttempts } from '../api-error.ts';
import { writeVerificationLog } from '../audit/verification-log.ts';
import { backoffWait, clearFailures, recordFailure, type BackoffPolicy } from '../auth/throttle.ts';
import type { ServerContext } from '../context.ts';
import { constantTimeEqual } from '../crypto/random.ts';
import { notifyTemporaryAccessPassIssued } from '../notify/security-info-changed.ts';
import { inTransaction } from '../transaction.ts';
import type { UserRow } from '../users/users.ts';
import { consumeOneTimePass, deletePass, passOf, replacePass, type TemporaryAccessPassRow } from './store.ts';

/**
 * Temporary access passes: a time-limited code an administrator gives a user
 * who has no usable method left (or lost their phone), so they can sign in and
 * register again (docs/reference.md#admin-reset). Not a method kind: it proves
 * the user once (or for a while) and registers nothing.
 */

/** No 0/O, 1/I/L: a pass is read out or copied by hand. 31 symbols, so each carries almost 5 bits. */
export const PASS_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

const MINUTE = 60_000;
/** A start more than this far ahead is a typing mistake, not a plan. */
const MAX_START_AHEAD_MS = 30 * 24 * 60 * MINUTE;

/** Same throttle as authenticator codes: five free failures, then doubling waits up to 15 minutes. */
export const passBackoff: BackoffPolicy = { freeFailures: 5, baseSeconds: 2, maxSeconds: 15 * 60 };
const throttleKey = (userId: string) => `tap:${userId}`;

export function generatePass(length: number): string {
  let pass = '';
  // randomInt draws from the CSPRNG without modulo bias.
  for (let i = 0; i < length; i++) pass += PASS_ALPHABET[randomInt(PASS_ALPHABET.length)];
  return pass;
}

/** What a person may type: any case, with spaces or dashes between groups. */
export function normalizePass(typed: string): string {
  return typed.replace(/[\s-]/g, '').toUpperCase();
}

/** Keyed with its own derived key and bound to the user, so a copy of the table yields nothing usable. */
function passHash(ctx: ServerContext, userId: string, pass: string): string {
  return createHmac('sha256', ctx.keys.temporaryAccessPassHashing).update(`${userId}:${pass}`).digest('hex');
}

const iso = (ms: number) => new Date(ms).toISOString();

function infoOf(row: TemporaryAccessPassRow): TemporaryAccessPassInfo {
  return { createdAt: iso(row.created_at), startsAt: iso(row.starts_at), expiresAt: iso(row.expires_at), oneTime: row.one_time === 1 };
}

function requireEnabled(policy: OrgPolicy): void {
  if (!policy.temporaryAccessPass.enabled) throw new ApiError(409, 'temporary_access_passes_disabled');
}

/** Issues a pass, replacing any the user had; the pass is returned this once and only its hash is kept. */
export async function issuePass(
  ctx: ServerContext,
  policy: OrgPolicy,
  user: UserRow,
  input: { lifetimeMinutes?: number | undefined; oneTime?: boolean | undefined; startsAt?: string | undefined; clientIp: string },
): Promise<TemporaryAccessPassInfo & { pass: string }> {
  requireEnabled(policy);
  const now = ctx.clock.now();
  const requestedStart = input.startsAt === undefined ? now : Date.parse(input.startsAt);
  if (requestedStart - now > MAX_START_AHEAD_MS) {
    throw new ApiError(400, 'invalid_input', { fields: [{ path: 'body.startsAt', issue: 'too_far_ahead' }] });
  }
  const startsAt = Math.max(now, requestedStart);
  const settings = policy.temporaryAccessPass;
  const pass = generatePass(settings.length);
  const row: TemporaryAccessPassRow = {
    user_id: user.id,
    pass_hash: passHash(ctx, user.id, pass),
    created_at: now,
    starts_at: startsAt,
    expires_at: startsAt + (input.lifetimeMinutes ?? settings.defaultLifetimeMinutes) * MINUTE,
    one_time: (input.oneTime ?? settings.oneTimeByDefault) ? 1 : 0,
  };
  await inTransaction(ctx, async (tx) => {
    await replacePass(tx, row);
    // A new pass starts with a clean slate of attempts.
    await clearFailures(tx, throttleKey(user.id));
    await writeVerificationLog(tx, {
      user,
      event: 'admin.temporary_access_pass_issued',
      authMode: 'temporary_access_pass',
      result: 'success',
      clientIp: input.clientIp,
    });
    await notifyTemporaryAccessPassIssued(tx, user, row.expires_at);
  });
  return { ...infoOf(row), pass };
}

/** The user's pass while it can still be used (not expired), without the pass itself. */
export async function activePass(ctx: ServerContext, userId: string): Promise<TemporaryAccessPassInfo | null> {
  const row = await passOf(ctx, userId);
  return row && row.expires_at > ctx.clock.now() ? infoOf(row) : null;
}

export async function revokePass(ctx: ServerContext, user: UserRow, clientIp: string): Promise<void> {
  if (!(await deletePass(ctx, user.id))) return;
  await writeVerificationLog(ctx, {
    user,
    event: 'admin.temporary_access_pass_revoked',
    authMode: 'temporary_access_pass',
    result: 'success',
    clientIp,
  });
}

/**
 * Checks a typed pass. No pass, a wrong one, one not started yet, an expired
 * one and a used one-time one all get the same answer, so an attempt learns
 * nothing about which it was; attempts are throttled like codes.
 */
export async function usePass(
  ctx: ServerContext,
  policy: OrgPolicy,
  user: UserRow,
  input: { pass: string; event: string; clientIp: string },
): Promise<void> {
  const deny = async (denialReason: string) =>
    writeVerificationLog(ctx, {
      user,
      event: input.event,
      authMode: 'temporary_access_pass',
      result: 'denied',
      denialReason,
      clientIp: input.clientIp,
    });
  try {
    requireEnabled(policy);
  } catch (error) {
    await deny('temporary_access_passes_disabled');
    throw error;
  }
  const wait = await backoffWait(ctx, throttleKey(user.id));
  if (wait > 0) {
    await deny('too_many_attempts');
    throw tooManyAttempts(wait);
  }
  const now = ctx.clock.now();
  const row = await passOf(ctx, user.id);
  const hash = passHash(ctx, user.id, normalizePass(input.pass));
  // Compared in constant time even when there is no row, so its absence is not faster to learn.
  const matches = constantTimeEqual(row?.pass_hash ?? '0'.repeat(64), hash) && row !== undefined;
  const valid = matches && row.starts_at <= now && row.expires_at > now;
  // A one-time pass counts only for the request that removes it.
  const won = valid && (row.one_time === 0 || (await consumeOneTimePass(ctx, user.id, row.pass_hash)));
  if (!won) {
    const { failures, waitSeconds } = await recordFailure(ctx, throttleKey(user.id), passBackoff);
    await deny('temporary_access_pass_invalid');
    if (waitSeconds > 0 && failures > passBackoff.freeFailures) throw tooManyAttempts(waitSeconds);
    throw new ApiError(400, 'temporary_access_pass_invalid', { attemptsLeft: Math.max(0, passBackoff.freeFailures - failures) });
  }
  await clearFailures(ctx, throttleKey(user.id));
  await writeVerificationLog(ctx, {
    user,
    event: input.event,
    authMode: 'temporary_access_pass',
    result: 'success',
    clientIp: input.clientIp,
  });
}

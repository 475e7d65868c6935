import { createHmac, randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { CodeChallenge, PhoneDelivery, PhoneKind } from '../../../shared/api/phone.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import { consumeRate, peekRate, type RateLimit } from '../../core/auth/throttle.ts';
import type { ServerContext } from '../../core/context.ts';
import { constantTimeEqual, newId } from '../../core/crypto/random.ts';
import { DeliveryError, type DeliveryReceipt } from '../../core/delivery/provider.ts';
import { ApiError } from '../../core/api-error.ts';
import { pickLanguage, translator } from '../../core/i18n/translate.ts';
import type { PhoneChallengesTable } from './schema.ts';
import type { UserRow } from '../../core/users/users.ts';
import { maskPhoneNumber, parsePhoneInput } from './phone-number.ts';

export type ChallengeRow = Selectable<PhoneChallengesTable>;
export type ChallengePurpose = 'enroll' | 'sign_in';

/** Wrong codes allowed per code; a new code starts afresh (NIST SP 800-63B §5.1.3.2 wants attempts limited). */
export const MAX_CODE_ATTEMPTS = 5;

const sendLimitOf = (policy: OrgPolicy): RateLimit => ({ limit: policy.sendLimit.count, windowSeconds: policy.sendLimit.windowSeconds });
const sendKey = (userId: string) => `phone-send:${userId}`;

/**
 * Only a keyed hash of the code is stored, bound to its challenge id, so a
 * copy of the table neither reveals codes nor lets one be used for another
 * challenge.
 */
export function codeHash(ctx: ServerContext, challengeId: string, code: string): string {
  return createHmac('sha256', ctx.keys.codeHashing).update(`${challengeId}:${code}`).digest('hex');
}

/** The number's region (US and Canada share +1; the sender table needs to tell them apart). */
function regionOf(e164: string): string {
  const parsed = parsePhoneInput(e164, 'US');
  return parsed.ok ? parsed.country : '';
}

function messageFor(ctx: ServerContext, user: UserRow, delivery: PhoneDelivery, code: string, lifetimeSeconds: number): string {
  const t = translator(user.language);
  if (delivery === 'sms') return t('phoneCode.sms', { code, issuer: ctx.config.issuer, count: Math.ceil(lifetimeSeconds / 60) });
  // Read out digit by digit, twice, so it can be written down.
  return t('phoneCode.voice', { issuer: ctx.config.issuer, spoken: code.split('').join(', ') });
}

export interface NewChallenge {
  user: UserRow;
  purpose: ChallengePurpose;
  methodId: string | null;
  phoneKind: PhoneKind;
  e164: string;
  country: string;
  extension: string | null;
  delivery: PhoneDelivery;
  sessionHash: string;
}

/**
 * Sends a fresh code: at most policy.sendLimit sends per user per window
 * (docs/reference.md#delivery-limits: 5 within 5 minutes), the code valid for policy.codeLifetimeSeconds.
 * A delivery failure leaves nothing behind.
 */
export async function sendCode(ctx: ServerContext, policy: OrgPolicy, input: NewChallenge, clientIp: string): Promise<CodeChallenge> {
  const limit = sendLimitOf(policy);
  const rate = await consumeRate(ctx, sendKey(input.user.id), limit);
  if (!rate.allowed) throw new ApiError(429, 'too_many_sends', { retryAfterSeconds: rate.retryAfterSeconds });

  const id = newId();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('phone_challenges')
    .values({
      id,
      user_id: input.user.id,
      purpose: input.purpose,
      method_id: input.methodId,
      phone_kind: input.phoneKind,
      e164: input.e164,
      extension: input.extension,
      delivery: input.delivery,
      code_hash: codeHash(ctx, id, code),
      attempts: 0,
      session_hash: input.sessionHash,
      created_at: now,
      expires_at: now + policy.codeLifetimeSeconds * 1000,
      consumed_at: null,
      provider_message_id: null,
    })
    .execute();
  const log = { user: input.user, event: 'phone.code_sent', authMode: input.delivery, phone: input.e164, clientIp } as const;
  let receipt: DeliveryReceipt;
  try {
    receipt = await ctx.delivery.send({
      channel: input.delivery,
      to: input.e164,
      userId: input.user.id,
      language: pickLanguage(input.user.language),
      body: messageFor(ctx, input.user, input.delivery, code, policy.codeLifetimeSeconds),
    });
  } catch (error) {
    await ctx.db.deleteFrom('phone_challenges').where('id', '=', id).execute();
    await writeVerificationLog(ctx, { ...log, result: 'denied', denialReason: 'delivery_failed' });
    if (error instanceof DeliveryError) throw new ApiError(502, 'delivery_failed');
    throw error;
  }
  // Kept with the challenge and the log record, to trace a "never got it" with the provider.
  const { providerMessageId } = receipt;
  if (providerMessageId) {
    await ctx.db.updateTable('phone_challenges').set({ provider_message_id: providerMessageId }).where('id', '=', id).execute();
  }
  await writeVerificationLog(ctx, { ...log, result: 'success', providerMessageId });
  return {
    challengeId: id,
    delivery: input.delivery,
    maskedNumber: maskPhoneNumber(input.e164),
    country: input.country || regionOf(input.e164),
    expiresInSeconds: policy.codeLifetimeSeconds,
    sendsRemaining: rate.remaining,
    nextSendInSeconds: rate.remaining > 0 ? 0 : (await peekRate(ctx, sendKey(input.user.id), limit)).retryAfterSeconds,
  };
}

interface ChallengeRef {
  id: string;
  userId: string;
  sessionHash: string;
  purpose: ChallengePurpose;
}

/** A challenge is only ever found by the user and session that started it. */
function findChallenge(ctx: ServerContext, ref: ChallengeRef): Promise<ChallengeRow | undefined> {
  return ctx.db
    .selectFrom('phone_challenges')
    .selectAll()
    .where('id', '=', ref.id)
    .where('user_id', '=', ref.userId)
    .where('session_hash', '=', ref.sessionHash)
    .where('purpose', '=', ref.purpose)
    .executeTakeFirst();
}

/** The unconsumed challenge a session started, for a resend. */
export async function openChallenge(ctx: ServerContext, ref: ChallengeRef): Promise<ChallengeRow> {
  const row = await findChallenge(ctx, ref);
  if (!row || row.consumed_at !== null) throw new ApiError(410, 'setup_expired');
  return row;
}

/** A resend replaces the previous code: it stops working at once. */
export async function retireChallenge(ctx: ServerContext, id: string): Promise<void> {
  await ctx.db
    .updateTable('phone_challenges')
    .set({ consumed_at: ctx.clock.now() })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .execute();
}

/**
 * Checks a code and consumes its challenge with one conditional update, so
 * two concurrent submissions of the right code succeed at most once, on any
 * instance.
 */
export async function verifyCode(ctx: ServerContext, input: ChallengeRef & { code: string }): Promise<ChallengeRow> {
  const row = await findChallenge(ctx, input);
  if (!row) throw new ApiError(410, 'setup_expired');
  const now = ctx.clock.now();
  if (row.consumed_at !== null) throw new ApiError(400, 'code_already_used');
  if (row.expires_at <= now) throw new ApiError(400, 'code_expired');
  if (row.attempts >= MAX_CODE_ATTEMPTS) throw new ApiError(429, 'too_many_attempts');

  if (!constantTimeEqual(codeHash(ctx, row.id, input.code), row.code_hash)) {
    await ctx.db
      .updateTable('phone_challenges')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', row.id)
      .where('consumed_at', 'is', null)
      .execute();
    throw new ApiError(400, 'invalid_code', { attemptsLeft: Math.max(0, MAX_CODE_ATTEMPTS - row.attempts - 1) });
  }
  const consumed = await ctx.db
    .updateTable('phone_challenges')
    .set({ consumed_at: now })
    .where('id', '=', row.id)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', MAX_CODE_ATTEMPTS)
    .executeTakeFirst();
  if (Number(consumed.numUpdatedRows) !== 1) throw new ApiError(400, 'code_already_used');
  return row;
}

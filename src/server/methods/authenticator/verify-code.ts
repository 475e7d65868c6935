import { ApiError, tooManyAttempts } from '../../core/api-error.ts';
import type { ServerContext } from '../../core/context.ts';
import { backoffWait, clearFailures, recordFailure, type BackoffPolicy } from '../../core/auth/throttle.ts';
import { matchTotpStep } from './totp.ts';

/**
 * A six-digit code has a million values; with one step of drift three are
 * valid at a time. Five free failures, then doubling waits up to 15 minutes,
 * keep an online guesser far below any useful success rate (RFC 4226 §7.3,
 * NIST SP 800-63B §5.2.2).
 */
export const totpBackoff: BackoffPolicy = { freeFailures: 5, baseSeconds: 2, maxSeconds: 15 * 60 };

const throttleKey = (userId: string) => `totp:${userId}`;

/**
 * Checks a code against candidate secrets and consumes its time step. The
 * database's unique (user, app, step) record refuses a replay even when
 * another server instance accepted the code a moment ago.
 */
export async function verifyAndConsumeTotp(
  ctx: ServerContext,
  userId: string,
  code: string,
  candidates: Array<{ methodId: string; secret: string }>,
): Promise<{ methodId: string }> {
  const wait = await backoffWait(ctx, throttleKey(userId));
  if (wait > 0) throw tooManyAttempts(wait);

  const now = ctx.clock.now();
  for (const candidate of candidates) {
    const step = matchTotpStep(candidate.secret, code, now);
    if (step === null) continue;
    const inserted = await ctx.db
      .insertInto('totp_used_steps')
      .values({ user_id: userId, method_id: candidate.methodId, step, used_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'method_id', 'step']).doNothing())
      .returning('step')
      .executeTakeFirst();
    if (!inserted) {
      await recordFailure(ctx, throttleKey(userId), totpBackoff);
      throw new ApiError(400, 'code_already_used');
    }
    await clearFailures(ctx, throttleKey(userId));
    // Steps older than the drift window can never match again; keep the table small.
    await ctx.db
      .deleteFrom('totp_used_steps')
      .where('user_id', '=', userId)
      .where('method_id', '=', candidate.methodId)
      .where('step', '<', step - 2)
      .execute();
    return { methodId: candidate.methodId };
  }
  const { failures, waitSeconds } = await recordFailure(ctx, throttleKey(userId), totpBackoff);
  if (waitSeconds > 0 && failures > totpBackoff.freeFailures) throw tooManyAttempts(waitSeconds);
  throw new ApiError(400, 'invalid_code', { attemptsLeft: Math.max(0, totpBackoff.freeFailures - failures) });
}

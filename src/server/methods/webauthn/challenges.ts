import type { ServerContext } from '../../core/context.ts';
import { newId } from '../../core/crypto/random.ts';
import { ApiError } from '../../core/api-error.ts';

/** `upgrade`: a passkey the password manager creates without a prompt, right after a password sign-in. */
export type CeremonyPurpose = 'register' | 'verify' | 'passkey' | 'upgrade';

/** A ceremony must finish within this time (WebAuthn L3 §15.4 recommends timeouts of 5 to 10 minutes). */
export const CEREMONY_TIMEOUT_MS = 5 * 60 * 1000;

export async function issueChallenge(
  ctx: ServerContext,
  input: { purpose: CeremonyPurpose; challenge: string; userId: string | null; sessionHash: string },
): Promise<string> {
  const id = newId();
  const now = ctx.clock.now();
  await ctx.db.deleteFrom('webauthn_challenges').where('expires_at', '<=', now).execute();
  await ctx.db
    .insertInto('webauthn_challenges')
    .values({
      id,
      purpose: input.purpose,
      challenge: input.challenge,
      user_id: input.userId,
      session_hash: input.sessionHash,
      created_at: now,
      expires_at: now + CEREMONY_TIMEOUT_MS,
    })
    .execute();
  return id;
}

/**
 * Takes the challenge out of the database in one statement, so it can be used
 * once only, by the session that asked for it, before it expires (WebAuthn L3
 * §13.4.3: challenges must not be replayable).
 */
export async function consumeChallenge(
  ctx: ServerContext,
  input: { id: string; purpose: CeremonyPurpose; sessionHash: string },
): Promise<{ challenge: string; userId: string | null }> {
  const row = await ctx.db
    .deleteFrom('webauthn_challenges')
    .where('id', '=', input.id)
    .where('purpose', '=', input.purpose)
    .where('session_hash', '=', input.sessionHash)
    .returning(['challenge', 'user_id', 'expires_at'])
    .executeTakeFirst();
  // An expired row is deleted all the same: it could never be used again anyway.
  if (!row || row.expires_at <= ctx.clock.now()) throw new ApiError(410, 'webauthn_expired');
  return { challenge: row.challenge, userId: row.user_id };
}

export async function sweepExpiredChallenges(ctx: ServerContext, now: number): Promise<void> {
  await ctx.db.deleteFrom('webauthn_challenges').where('expires_at', '<=', now).execute();
}

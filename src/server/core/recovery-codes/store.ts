import type { ServerContext } from '../context.ts';
import { newId } from '../crypto/random.ts';

/** The queries on recovery codes: one row per unused code. */

export async function recoveryCodeCountOf(ctx: ServerContext, userId: string): Promise<{ remaining: number; createdAt: number | null }> {
  const row = await ctx.db
    .selectFrom('recovery_codes')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('created_at').as('created_at')])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { remaining: Number(row.n), createdAt: row.created_at === null ? null : Number(row.created_at) };
}

/** Replaces the user's whole set: the old codes stop working in the same transaction the new ones start. */
export async function replaceRecoveryCodes(ctx: ServerContext, userId: string, hashes: string[], now: number): Promise<void> {
  await ctx.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await ctx.db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ id: newId(), user_id: userId, code_hash, created_at: now })))
    .execute();
}

/**
 * Uses up one code: true only for the request whose delete removed the row, so
 * of two requests racing with the same code exactly one wins (on PostgreSQL the
 * second delete waits for the first to commit and then finds nothing).
 */
export async function consumeRecoveryCode(ctx: ServerContext, userId: string, codeHash: string): Promise<boolean> {
  const result = await ctx.db
    .deleteFrom('recovery_codes')
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

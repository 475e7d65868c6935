import type { Selectable } from 'kysely';
import type { ServerContext } from '../context.ts';
import type { TemporaryAccessPassesTable } from '../storage/schema.ts';

/** The queries on temporary access passes: one row per user at most. */
export type TemporaryAccessPassRow = Selectable<TemporaryAccessPassesTable>;

export async function passOf(ctx: ServerContext, userId: string): Promise<TemporaryAccessPassRow | undefined> {
  return ctx.db.selectFrom('temporary_access_passes').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Writes the user's pass, replacing any earlier one in the same statement. */
export async function replacePass(ctx: ServerContext, row: TemporaryAccessPassRow): Promise<void> {
  const { user_id: _userId, ...rest } = row;
  await ctx.db
    .insertInto('temporary_access_passes')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet(rest))
    .execute();
}

/** True when a row was there to delete. */
export async function deletePass(ctx: ServerContext, userId: string): Promise<boolean> {
  const result = await ctx.db.deleteFrom('temporary_access_passes').where('user_id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * Uses up a one-time pass: the row goes only if it is still the one that was
 * checked, so of two requests racing with the same pass exactly one deletes it.
 */
export async function consumeOneTimePass(ctx: ServerContext, userId: string, passHash: string): Promise<boolean> {
  const result = await ctx.db
    .deleteFrom('temporary_access_passes')
    .where('user_id', '=', userId)
    .where('pass_hash', '=', passHash)
    .where('one_time', '=', 1)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Expired passes can never be used again. */
export async function sweepExpiredPasses(ctx: ServerContext, now: number): Promise<void> {
  await ctx.db.deleteFrom('temporary_access_passes').where('expires_at', '<=', now).execute();
}

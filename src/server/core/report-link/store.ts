import type { ServerContext } from '../context.ts';

/**
 * Marks a link used. The nonce is the primary key, so of two requests with the
 * same link exactly one inserts its row (the other's insert does nothing, or on
 * PostgreSQL waits for the first to commit and then does nothing).
 */
export async function claimReportLink(ctx: ServerContext, link: { userId: string; nonce: string; expiresAt: number }): Promise<boolean> {
  const result = await ctx.db
    .insertInto('used_report_links')
    .values({ nonce: link.nonce, user_id: link.userId, used_at: ctx.clock.now(), expires_at: link.expiresAt })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return result !== undefined;
}

/** A used link past its expiry would be refused for its age anyway: its row may go. */
export async function sweepUsedReportLinks(ctx: ServerContext, now: number): Promise<void> {
  await ctx.db.deleteFrom('used_report_links').where('expires_at', '<=', now).execute();
}

export async function markNeedsReview(ctx: ServerContext, userId: string, at: number): Promise<void> {
  await ctx.db.updateTable('users').set({ needs_review_at: at }).where('id', '=', userId).execute();
}

/** True when there was a mark to clear. */
export async function clearNeedsReview(ctx: ServerContext, userId: string): Promise<boolean> {
  const result = await ctx.db
    .updateTable('users')
    .set({ needs_review_at: null })
    .where('id', '=', userId)
    .where('needs_review_at', 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

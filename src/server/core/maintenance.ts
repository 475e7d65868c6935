import type { ServerContext } from './context.ts';
import { sweepFinishedMail } from './mail/queue-store.ts';
import { sweepExpiredPasses } from './temporary-access-pass/store.ts';
import { sweepUsedReportLinks } from './report-link/store.ts';

const HOUR = 60 * 60 * 1000;

/**
 * Deletes rows that can no longer matter: expired sessions, set-ups and
 * challenges, and send/failure events older than any rate-limit window.
 * Any instance may run it; every delete is idempotent.
 */
export async function sweepExpired(ctx: ServerContext): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await ctx.db.deleteFrom('enrollments').where('expires_at', '<=', now).execute();
  await ctx.db.deleteFrom('password_reset_flows').where('expires_at', '<=', now).execute();
  for (const kind of ctx.kinds.modules) await kind.sweepExpired?.(ctx, now);
  await sweepExpiredPasses(ctx, now);
  await sweepUsedReportLinks(ctx, now);
  await sweepFinishedMail(ctx.db, now);
  // The longest rate-limit window is an hour (policy maximum).
  await ctx.db
    .deleteFrom('rate_events')
    .where('at', '<=', now - 2 * HOUR)
    .execute();
}

import type { Transaction } from 'kysely';
import type { ServerContext } from './context.ts';
import type { Database } from './storage/schema.ts';

/** The server context with its database handle bound to one open transaction. */
export type TransactionContext = ServerContext & { db: Transaction<Database> };

/**
 * Runs a change, its log record and its notice in one transaction: a committed
 * change always has its notice queued, a rolled-back one never does. Every
 * function given `tx` reads and writes through the transaction (on SQLite the
 * transaction holds the only connection, so `ctx.db` inside would wait forever).
 */
export async function inTransaction<T>(ctx: ServerContext, change: (tx: TransactionContext) => Promise<T>): Promise<T> {
  const result = await ctx.db.transaction().execute((trx) => change({ ...ctx, db: trx }));
  // Only now is a queued notice visible to the worker; waking it here keeps the
  // delay to a moment instead of a poll interval.
  ctx.mail.nudge();
  return result;
}

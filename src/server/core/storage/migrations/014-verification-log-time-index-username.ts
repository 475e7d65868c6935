import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * A user-name prefix that matches many records is read newest first by time, each record's name
 * tested (verification-log-store.ts, PrefixPlan). With the name in the time index, SQLite tests
 * it there and reads a table row only for a match: for a prefix matching 0.6% of 5,000,000
 * records, 8,500 index entries instead of 8,500 table rows (about 1 ms instead of 7 to 13). It
 * replaces (at, id), which it still serves as a prefix. PostgreSQL tests a condition on an index
 * entry only in an index-only scan, never for a page of whole records, so there the index stays.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`CREATE INDEX verification_log_at_username ON verification_log (at DESC, id DESC, username)`.execute(db);
  await sql`DROP INDEX verification_log_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`CREATE INDEX verification_log_at ON verification_log (at DESC, id DESC)`.execute(db);
  await sql`DROP INDEX verification_log_at_username`.execute(db);
}

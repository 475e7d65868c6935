import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The administrators' log filtered by one user and a result (the usual "why was this person
 * refused?"), newest first, a keyset page at a time. With only (username, at, id) the page reads
 * every record of the user until it has found enough of the asked-for result: for a busy user
 * with few refusals, hundreds of rows for a page of fifty. With the result after the user name
 * the page is one index range, in order, that stops after the page.
 *
 * The user name is compared bytewise, like the user-name index of migration 007 and the queries
 * (PostgreSQL's "C" collation; SQLite's BINARY, its default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytewise = postgres ? sql.raw('COLLATE "C"') : sql.raw('COLLATE BINARY');
  await sql`CREATE INDEX verification_log_username_result_at ON verification_log (username ${bytewise}, result, at DESC, id DESC)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS verification_log_username_result_at`.execute(db);
}

import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Indexes for the administrators' verification log, read newest first a keyset
 * page at a time (`(at, id) < cursor ORDER BY at DESC, id DESC LIMIT n`): one
 * on (at, id) for the unfiltered view and a time range, and one per filter
 * column with (at, id) after it, so each filtered page is an index range scan
 * that stops after n rows instead of a sort of every match.
 *
 * User names are compared bytewise (a prefix is the range [p, p+1)); SQLite's
 * default collation is bytewise, PostgreSQL's may be a language's, so there the
 * user-name columns are indexed with the "C" collation the queries use.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bytewise = postgres ? sql.raw('COLLATE "C"') : sql.raw('COLLATE BINARY');
  const logIndexes: Array<[string, string | null]> = [
    ['verification_log_at', null],
    ['verification_log_user_id_at', 'user_id'],
    ['verification_log_result_at', 'result'],
    ['verification_log_auth_mode_at', 'auth_mode'],
    ['verification_log_denial_reason_at', 'denial_reason'],
    ['verification_log_client_ip_at', 'client_ip'],
  ];
  for (const [name, column] of logIndexes) {
    const lead = column ? sql`${sql.ref(column)}, ` : sql``;
    await sql`CREATE INDEX ${sql.ref(name)} ON verification_log (${lead}at DESC, id DESC)`.execute(db);
  }
  await sql`CREATE INDEX verification_log_username_at ON verification_log (username ${bytewise}, at DESC, id DESC)`.execute(db);
  // Replaced by verification_log_user_id_at, which also orders ties by id.
  await sql`DROP INDEX verification_log_user_at`.execute(db);
  // The users' search by name prefix; on SQLite the unique index on username already serves it.
  if (postgres) await sql`CREATE INDEX users_username_bytewise ON users (username ${bytewise})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'verification_log_at',
    'verification_log_user_id_at',
    'verification_log_result_at',
    'verification_log_auth_mode_at',
    'verification_log_denial_reason_at',
    'verification_log_client_ip_at',
    'verification_log_username_at',
    'users_username_bytewise',
  ]) {
    await sql`DROP INDEX IF EXISTS ${sql.ref(name)}`.execute(db);
  }
  await sql`CREATE INDEX verification_log_user_at ON verification_log (user_id, at)`.execute(db);
}

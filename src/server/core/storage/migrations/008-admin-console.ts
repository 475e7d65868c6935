import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The columns administrators search by prefix, whatever the case. */
export const searchableUserColumns = ['username', 'first_name', 'last_name', 'email'] as const;

/**
 * Prefix search on lower(column) is a range scan on an index of that expression. PostgreSQL
 * compares in the database's collation unless told otherwise, and a prefix is a range only in
 * byte order, so its indexes (and the queries) use the "C" collation; SQLite compares bytes already.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('reregister_requested_at', 'bigint').execute();
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const column of searchableUserColumns) {
    const name = sql.id(`users_search_${column}`);
    const expression = postgres ? sql`(lower(${sql.ref(column)}) collate "C")` : sql`lower(${sql.ref(column)})`;
    await sql`create index ${name} on users (${expression})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of searchableUserColumns) await db.schema.dropIndex(`users_search_${column}`).ifExists().execute();
  await db.schema.alterTable('users').dropColumn('reregister_requested_at').execute();
}

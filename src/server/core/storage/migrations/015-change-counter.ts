import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * What a cache of legacy sign-in facts (the organisation policy, users, app-password verifiers) needs
 * to hear about, counted by the database itself (docs/reference.md#caches-across-instances): a
 * trigger on each table bumps one counter in the transaction of the change, so no caller has to
 * remember and a rolled-back change bumps nothing; on PostgreSQL it also sends a NOTIFY, delivered at
 * commit. Only the columns a cache holds count: the app password's "last used", written by the
 * legacy path itself, and a user's language do not. The two time indexes let each instance ask for
 * the throttle failures recorded since it last looked.
 */
const WATCHED: ReadonlyArray<{ table: string; columns: string }> = [
  { table: 'users', columns: 'username, first_name, last_name, email' },
  { table: 'app_passwords', columns: 'user_id, hash' },
  { table: 'org_policy', columns: 'policy_json' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('change_counter')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`INSERT INTO change_counter (id, version) VALUES (1, 0)`.execute(db);
  await db.schema.createIndex('throttle_counters_last_failure').on('throttle_counters').column('last_failure_at').execute();
  await db.schema.createIndex('rate_events_at').on('rate_events').column('at').execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE FUNCTION bump_change_counter() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE change_counter SET version = version + 1 WHERE id = 1;
        PERFORM pg_notify('secinfo_changes', TG_TABLE_NAME);
        RETURN NULL;
      END $$`.execute(db);
    for (const { table, columns } of WATCHED) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_bump_change_counter AFTER INSERT OR DELETE OR UPDATE OF ${columns} ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION bump_change_counter()`,
        )
        .execute(db);
    }
    return;
  }
  const bump = 'UPDATE change_counter SET version = version + 1 WHERE id = 1;';
  for (const { table, columns } of WATCHED) {
    await sql.raw(`CREATE TRIGGER ${table}_insert_bumps AFTER INSERT ON ${table} BEGIN ${bump} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_delete_bumps AFTER DELETE ON ${table} BEGIN ${bump} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_update_bumps AFTER UPDATE OF ${columns} ON ${table} BEGIN ${bump} END`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const { table } of WATCHED) await sql.raw(`DROP TRIGGER ${table}_bump_change_counter ON ${table}`).execute(db);
    await sql`DROP FUNCTION bump_change_counter()`.execute(db);
  } else {
    for (const { table } of WATCHED) {
      for (const op of ['insert', 'delete', 'update']) await sql.raw(`DROP TRIGGER ${table}_${op}_bumps`).execute(db);
    }
  }
  await db.schema.dropIndex('rate_events_at').execute();
  await db.schema.dropIndex('throttle_counters_last_failure').execute();
  await db.schema.dropTable('change_counter').execute();
}

import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabases } from '../../../test-support/test-app.ts';
import { openDatabase, type DatabaseHandle, type DatabaseKind } from '../db.ts';
import type { Database } from '../schema.ts';
import { migrationProvider } from './index.ts';

async function indexesOf(db: Kysely<Database>, kind: DatabaseKind, table: string): Promise<string[]> {
  const query =
    kind === 'postgres'
      ? sql<{ name: string }>`select indexname as name from pg_indexes where tablename = ${table}`
      : sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = ${table}`;
  return (await query.execute(db)).rows.map((r) => r.name).sort();
}

describe.each(testDatabases)('migrations (%s)', (kind) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let migrator: Migrator;
  beforeAll(async () => {
    const created = await createTestDatabase(kind);
    drop = created.drop;
    handle = openDatabase({ databaseUrl: created.url, sqlitePath: created.sqlitePath });
    migrator = new Migrator({ db: handle.db, provider: migrationProvider });
  });
  afterAll(async () => {
    await handle.close();
    await drop();
  });

  it('run up to the latest, down to the admin console (008) and up again', async () => {
    const names = Object.keys(await migrationProvider.getMigrations());
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(up.results?.map((r) => r.migrationName)).toEqual(names);
    const indexes = async () => ({
      log: await indexesOf(handle.db, kind, 'verification_log'),
      users: await indexesOf(handle.db, kind, 'users'),
    });
    const latest = await indexes();
    expect(latest.log).toContain('verification_log_username_result_at');
    expect(latest.users).toContain('users_search_email_username');
    expect(latest.log.includes('verification_log_at_username')).toBe(kind === 'sqlite');

    const down = await migrator.migrateTo('008-admin-console');
    expect(down.error).toBeUndefined();
    const at008 = await indexes();
    expect(at008.log).not.toContain('verification_log_username_result_at');
    expect(at008.users).toContain('users_search_email');
    expect(at008.users).not.toContain('users_search_email_username');

    const again = await migrator.migrateToLatest();
    expect(again.error).toBeUndefined();
    expect(await indexes()).toEqual(latest);
  });
});

import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabases } from '../../../test-support/test-app.ts';
import { openDatabase, type DatabaseHandle, type DatabaseKind } from '../db.ts';
import type { Database } from '../schema.ts';
import { migrationProvider } from './index.ts';

async function indexesOfLog(db: Kysely<Database>, kind: DatabaseKind): Promise<string[]> {
  const query =
    kind === 'postgres'
      ? sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'verification_log'`
      : sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'verification_log'`;
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

  it('run up to the latest, and the last one down and up again', async () => {
    const names = Object.keys(await migrationProvider.getMigrations());
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(up.results?.map((r) => r.migrationName)).toEqual(names);
    const latest = await indexesOfLog(handle.db, kind);
    expect(latest).toContain('verification_log_username_result_at');

    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toEqual([names.at(-1)]);
    expect(await indexesOfLog(handle.db, kind)).not.toContain('verification_log_username_result_at');

    const again = await migrator.migrateToLatest();
    expect(again.error).toBeUndefined();
    expect(await indexesOfLog(handle.db, kind)).toEqual(latest);
  });
});

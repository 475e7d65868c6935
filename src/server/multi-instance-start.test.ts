import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationProvider } from './core/storage/migrations/index.ts';
import { exitOf } from './test-support/server-process.ts';
import { startInstance, stopInstance, waitReady, type Instance } from './test-support/service-stack.ts';
import { createTestDatabase } from './test-support/test-app.ts';

/** What each instance's start-up line says it migrated (main.ts logs it at info). */
function migrationsRunBy(instance: Instance): string[] {
  for (const line of instance.output().split('\n')) {
    if (!line.includes('"migrations"')) continue;
    return (JSON.parse(line) as { migrations: string[] }).migrations;
  }
  throw new Error(`${instance.name} logged no migration line:\n${instance.output()}`);
}

describe.skipIf(process.env.SKIP_PG === '1')('instances starting at once on one PostgreSQL database', { timeout: 120_000 }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const instances: Instance[] = [];
  const secretKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });

  afterAll(async () => {
    await Promise.all(instances.map((i) => stopInstance(i, 'SIGKILL')));
    await database?.drop();
  });

  it('five started on an empty database: the migrations run once, all become ready', async () => {
    const started = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((name) =>
        startInstance({ name, databaseUrl: database.url!, secretKey, publicOrigin: 'http://127.0.0.1', env: { LOG_LEVEL: 'info' } }),
      ),
    );
    instances.push(...started);
    await Promise.all(started.map((i) => waitReady(i, 90_000)));

    const known = Object.keys(await migrationProvider.getMigrations());
    const ran = started.map(migrationsRunBy);
    // Exactly one instance ran all of them; the others found the schema current.
    expect(ran.filter((list) => list.length > 0)).toEqual([known]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('select name from kysely_migration order by name');
    await client.end();
    expect(rows.map((r) => r.name)).toEqual(known);

    // A stop by SIGTERM exits 0 once the database pool is closed.
    expect(await Promise.all(started.map((i) => stopInstance(i, 'SIGTERM')))).toEqual([0, 0, 0, 0, 0]);
  });

  it('an instance whose code is older than the schema refuses to start, saying so', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`insert into kysely_migration (name, timestamp) values ('999-from-a-newer-release', now()::text)`);
    await client.end();
    const old = await startInstance({ name: 'old', databaseUrl: database.url!, secretKey, publicOrigin: 'http://127.0.0.1' });
    instances.push(old);
    expect(await exitOf(old.child)).toBe(1);
    expect(old.output()).toMatch(
      /^Not starting: the database schema is newer than this code \(it has migration 999-from-a-newer-release\)/m,
    );
  });
});

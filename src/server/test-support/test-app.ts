import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { ManualClock } from '../core/clock.ts';
import { loadConfig, type Config } from '../core/config.ts';
import type { DeliveryProvider } from '../core/delivery/provider.ts';
import { migrateToLatest, openDatabase, type DatabaseKind } from '../core/storage/db.ts';

export const testDatabases: DatabaseKind[] = process.env.SKIP_PG === '1' ? ['sqlite'] : ['sqlite', 'postgres'];

const adminUrl = () => process.env.TEST_PG_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, empty database of the given kind, and how to throw it away. */
export async function createTestDatabase(kind: DatabaseKind): Promise<{ url?: string; sqlitePath: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'secinfo-test-'));
    return { sqlitePath: join(dir, 'test.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `secinfo_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    sqlitePath: ':memory:',
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  config: Config;
  /** Where this app's data lives, to start a second instance on the same database. */
  database: { url?: string; sqlitePath: string };
  masterKey: Buffer;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  delivery?: DeliveryProvider;
  /** Share a database with another instance (multi-instance tests). */
  database?: { url?: string; sqlitePath: string };
  clock?: ManualClock;
  masterKey?: Buffer;
  /** A built client to serve, as production does with dist/client. */
  clientDir?: string;
}

/** The real server, in-process, on a fresh database, with a clock the test controls. */
export async function startSecondInstance(first: TestApp, kind: DatabaseKind): Promise<TestApp> {
  return startTestApp(kind, { database: first.database, clock: first.clock, masterKey: first.masterKey });
}

export async function startTestApp(kind: DatabaseKind, options: TestAppOptions = {}): Promise<TestApp> {
  const created = options.database ? undefined : await createTestDatabase(kind);
  const target = options.database ?? created!;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DATA_DIR: tmpdir(), ...options.env });
  const handle = openDatabase({ databaseUrl: target.url, sqlitePath: target.sqlitePath });
  await migrateToLatest(handle.db);
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 10, 25, 10, 0, 0));
  const masterKey = options.masterKey ?? randomBytes(32);
  const app = await buildApp({
    config,
    db: handle.db,
    clock,
    masterKey,
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.clientDir ? { clientDir: options.clientDir } : {}),
  });
  await app.ready();
  return {
    app,
    clock,
    config,
    database: { ...(target.url ? { url: target.url } : {}), sqlitePath: target.sqlitePath },
    masterKey,
    close: async () => {
      await app.close();
      await handle.close();
      await created?.drop();
    },
  };
}

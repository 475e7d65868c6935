import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import SQLite from 'better-sqlite3';
import type { Pool } from 'pg';
import type { Database } from './schema.ts';
import { migrationProvider } from './migrations/index.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** PostgreSQL's connection pool, for its use in /metrics; SQLite has none. */
  pool?: PoolUse;
  close(): Promise<void>;
}

/** How busy a connection pool is right now. */
export interface PoolUse {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

/**
 * PostgreSQL's pool, made at the first query: `pg` is loaded only when the
 * database is PostgreSQL, so a SQLite instance never reads it (docs/reference.md#server-start).
 */
async function createPool(connectionString: string): Promise<Pool> {
  const { default: pg } = await import('pg');
  // int8 (bigint) columns hold epoch milliseconds, well inside 2^53: read them as numbers.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client can be cut off by the server (restart, failover). pg emits
  // that on the pool; unhandled, it would end the process. The pool replaces
  // the client, and the next query reports any real outage.
  pool.on('error', () => undefined);
  return pool;
}

export function openDatabase(options: { databaseUrl?: string; sqlitePath: string }): DatabaseHandle {
  const databaseUrl = options.databaseUrl;
  if (databaseUrl) {
    let pool: Pool | undefined;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: async () => (pool = await createPool(databaseUrl)) }) });
    // Before the first query there is no pool yet: nothing is in use.
    const use: PoolUse = {
      get totalCount() {
        return pool?.totalCount ?? 0;
      },
      get idleCount() {
        return pool?.idleCount ?? 0;
      },
      get waitingCount() {
        return pool?.waitingCount ?? 0;
      },
    };
    return { db, kind: 'postgres', pool: use, close: () => db.destroy() };
  }
  if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
  const sqlite = new SQLite(options.sqlitePath);
  // WAL lets readers proceed during a write; busy_timeout makes a second
  // process on the same file wait instead of failing; SQLite enforces
  // foreign keys only when asked.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, kind: 'sqlite', close: () => db.destroy() };
}

/** Kysely's record of the migrations run. */
const MIGRATION_TABLE = 'kysely_migration';

export type SchemaState = { state: 'current' } | { state: 'behind'; missing: string[] } | { state: 'ahead'; unknown: string[] };

/** How the database's schema compares with the migrations this code carries. */
export async function schemaState(db: Kysely<Database>): Promise<SchemaState> {
  const known = Object.keys(await migrationProvider.getMigrations());
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const applied = tables.some((t) => t.name === MIGRATION_TABLE)
    ? (await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db)).rows.map((r) => r.name)
    : [];
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) return { state: 'ahead', unknown };
  const missing = known.filter((name) => !applied.includes(name));
  return missing.length > 0 ? { state: 'behind', missing } : { state: 'current' };
}

/** The database was migrated by newer code: running older code on it could corrupt data. */
export class SchemaAheadError extends Error {
  constructor(unknown: string[]) {
    super(
      `the database schema is newer than this code (it has migration ${unknown.join(', ')}); upgrade this instance to the release that migrated it`,
    );
  }
}

/**
 * Brings the schema up to date and returns the migrations this call ran. Instances
 * starting at once are safe: on PostgreSQL Kysely's migrator holds an advisory lock
 * (pg_advisory_lock) while it runs and re-reads what has been run once it has the
 * lock, so each migration runs exactly once; the others find nothing left to do.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const before = await schemaState(db);
  if (before.state === 'ahead') throw new SchemaAheadError(before.unknown);
  if (before.state === 'current') return [];
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ''}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

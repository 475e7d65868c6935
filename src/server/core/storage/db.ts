import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
  type SqliteDatabase,
} from 'kysely';
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import { LocalWrites } from './local-writes.ts';
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

/**
 * What a cache needs of the database behind a Kysely instance beyond queries: this process's own
 * writes to the tables caches hold (told at once, before the trigger's counter is polled), and on
 * PostgreSQL a connection of its own to LISTEN on (docs/reference.md#caches-across-instances).
 */
export interface DatabaseExtras {
  kind: DatabaseKind;
  localWrites: LocalWrites;
  /** PostgreSQL only: a new connection outside the pool, for LISTEN. */
  newListenClient?: () => Promise<pg.Client>;
  /** PostgreSQL only: run this statement text as a named (prepared once per connection) statement. */
  prepareNamed?: (sqlText: string) => void;
}

const extras = new WeakMap<Kysely<Database>, DatabaseExtras>();

/** The extras of a database opened by `openDatabase`; undefined for one made elsewhere. */
export function databaseExtrasOf(db: Kysely<Database>): DatabaseExtras | undefined {
  return extras.get(db);
}

/** Statements kept prepared per SQLite connection; the app has a few hundred distinct ones. */
const SQLITE_STATEMENT_CACHE = 1_000;

/**
 * better-sqlite3 prepares a statement on every call Kysely makes; the same text is prepared again
 * each time. Keeping the prepared statements (a bounded map, oldest dropped first) saves that work
 * on every query; SQLite re-prepares a kept statement by itself if the schema changed.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare: (text) => {
      let statement = statements.get(text);
      if (statement) return statement;
      statement = database.prepare(text);
      if (statements.size >= SQLITE_STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
      statements.set(text, statement);
      return statement;
    },
  };
}

/**
 * Kysely's PostgreSQL driver sends every statement unnamed, so the server parses and plans it each
 * time. Statement texts registered here (the hot paths' fixed statements) go as named statements
 * instead, which pg prepares once per connection and then only executes.
 */
function withNamedStatements(pool: pg.Pool, named: Map<string, string>): PostgresPool {
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    function query<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
    function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    function query(text: string | PostgresCursor<unknown>, parameters?: ReadonlyArray<unknown>): unknown {
      if (typeof text !== 'string') return client.query(text as unknown as pg.Submittable);
      const name = named.get(text);
      const values = parameters ? [...parameters] : [];
      return name ? client.query({ name, text, values }) : client.query(text, values);
    }
    return { query, release: (destroy?: boolean) => client.release(destroy) };
  };
  return { connect: async () => wrap(await pool.connect()), end: () => pool.end() };
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
async function createPool(connectionString: string): Promise<pg.Pool> {
  const pg = await loadPg();
  return createPoolWith(pg, connectionString);
}

/** `pg`, imported at its first use, with int8 read as numbers. */
async function loadPg(): Promise<typeof pg> {
  const { default: pg } = await import('pg');
  // int8 (bigint) columns hold epoch milliseconds, well inside 2^53: read them as numbers.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  return pg;
}

function createPoolWith(pg: typeof import('pg').default, connectionString: string): pg.Pool {
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
    let pool: pg.Pool | undefined;
    const named = new Map<string, string>();
    const localWrites = new LocalWrites();
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: async () => withNamedStatements((pool = await createPool(databaseUrl)), named) }),
      plugins: [localWrites],
    });
    extras.set(db, {
      kind: 'postgres',
      localWrites,
      newListenClient: async () => new (await loadPg()).Client({ connectionString: databaseUrl }),
      prepareNamed: (text) => {
        if (!named.has(text)) named.set(text, `s${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
      },
    });
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
  // foreign keys only when asked. synchronous = NORMAL is said, not left to
  // the build's default, which gave FULL on a new file and NORMAL on every
  // later start (docs/reference.md#sqlite-durability).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const localWrites = new LocalWrites();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), plugins: [localWrites] });
  extras.set(db, { kind: 'sqlite', localWrites });
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

/**
 * The verification-log benchmark's data: users and log records made by a seeded generator into
 * a SQLite file, kept under `.tmp/bench/` (gitignored) and reused by later runs with the same
 * parameters, since writing and indexing 5,000,000 records takes minutes and the data is the
 * same every time. Migrations added since the file was made are applied to it, so a new index
 * costs one index build, not a new data set.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from '../../src/server/core/storage/migrations/index.ts';
import type { Database } from '../../src/server/core/storage/schema.ts';

/** Bump when the generator changes what it writes, so cached files made by the old one are not reused. */
const GENERATOR_VERSION = 2;
/** The last migration before the log's indexes: rows are loaded there, the indexes built after, sorted, once. */
const LOAD_AT_MIGRATION = '005-phone';

/** The records span a year, as a log kept for that long would. */
export const SPAN_MS = 365 * 24 * 3600 * 1000;
export const END = Date.UTC(2026, 10, 25);

export interface BenchUser {
  id: string;
  username: string;
}

export interface BenchLog {
  path: string;
  /** In the order generated: the first few hundred are the busiest. */
  users: BenchUser[];
  /** What this run did to get the file: how long the generation and the index builds took, or that it was reused. */
  origin: string;
}

const firstNames = ['anna', 'jan', 'zoë', 'piotr', 'maria', 'tomasz', 'ewa', 'paweł', 'kasia', 'john', 'mary', 'li', 'ahmed', 'sofia'];
const lastNames = ['nowak', 'kowalski', 'wiśniewska', 'smith', 'jones', 'müller', 'garcía', 'wang', 'kim', 'dubois', 'rossi'];
/** How people sign in, roughly: mostly password then a second step, some passkeys and texts. */
const modes: Array<[string, number]> = [
  ['password', 0.42],
  ['totp', 0.24],
  ['webauthn', 0.14],
  ['sms', 0.09],
  ['voice', 0.03],
  ['app_password', 0.06],
  ['none', 0.02],
];
const denialReasons: Record<string, string[]> = {
  password: ['invalid_credentials', 'too_many_attempts'],
  totp: ['invalid_code', 'code_already_used'],
  webauthn: ['invalid_code'],
  sms: ['invalid_code', 'code_expired', 'delivery_failed'],
  voice: ['invalid_code', 'code_expired'],
  app_password: ['app_password_required', 'invalid_credentials'],
  none: ['setup_expired'],
};
const events: Record<string, string> = {
  password: 'sign_in.password',
  totp: 'sign_in.second_factor',
  webauthn: 'sign_in.passkey',
  sms: 'sign_in.second_factor',
  voice: 'sign_in.second_factor',
  app_password: 'legacy_sign_in',
  none: 'security_info.method_renamed',
};
const servers = ['sec-info-1', 'sec-info-2', 'sec-info-3'];

/** A seeded xorshift generator, so every run (and every cached file) holds the same data. */
function seededRandom(): () => number {
  let seed = 0x2545f491;
  return () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
}

/** Inserts in transactions of this many rows: one per row would sync per row, one for all would hold millions in the journal. */
const BATCH = 50_000;

function generate(database: SQLite.Database, userCount: number, rowCount: number): BenchUser[] {
  const random = seededRandom();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const pickMode = (): string => {
    let r = random();
    for (const [mode, share] of modes) if ((r -= share) < 0) return mode;
    return 'password';
  };
  const noise = Buffer.alloc(16 * 1024);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256);
  let idCounter = 0;
  /** Ids shaped like newId(): 22 base64url characters, random-looking, unique by a counter in the last bytes. */
  const nextId = (): string => {
    const buf = Buffer.alloc(16);
    for (let i = 0; i < 12; i++) buf[i] = Math.floor(random() * 256);
    buf.writeUInt32BE(idCounter++, 12);
    return buf.toString('base64url');
  };

  const insertUser = database.prepare(
    `INSERT INTO users (id, username, first_name, last_name, email, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?, 'x', 0, ?)`,
  );
  const insertLog = database.prepare(
    `INSERT INTO verification_log (id, at, user_id, username, first_name, last_name, email, phone, device_token, auth_mode, event, result, denial_reason, server_name, server_ip, client_ip)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const users: Array<BenchUser & { first: string; last: string; email: string }> = [];
  database.transaction(() => {
    for (let i = 0; i < userCount; i++) {
      const first = pick(firstNames);
      const last = pick(lastNames);
      const user = { id: nextId(), username: `${first}.${last}${i}`, first, last, email: `${first}.${last}${i}@example.com` };
      users.push(user);
      insertUser.run(user.id, user.username, first, last, user.email, END - SPAN_MS);
    }
  })();
  const insertRows = database.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      // Time runs forward with the row number, as a log is written; a few users are far busier than most.
      const at = END - SPAN_MS + Math.floor((i / rowCount) * SPAN_MS);
      const user = users[Math.floor(random() ** 1.5 * userCount)]!;
      const mode = pickMode();
      const denied = random() < 0.08;
      const server = pick(servers);
      insertLog.run(
        nextId(),
        at,
        user.id,
        user.username,
        user.first,
        user.last,
        user.email,
        mode === 'sms' || mode === 'voice' ? '+48 5** *** *42' : null,
        mode === 'webauthn' ? noise.toString('base64url', (i * 7) % 1000, ((i * 7) % 1000) + 48) : null,
        mode,
        events[mode]!,
        denied ? 'denied' : 'success',
        denied ? pick(denialReasons[mode]!) : null,
        server,
        `10.0.0.${servers.indexOf(server) + 1}`,
        `198.51.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
      );
    }
  });
  for (let from = 0; from < rowCount; from += BATCH) insertRows(from, Math.min(rowCount, from + BATCH));
  return users.map(({ id, username }) => ({ id, username }));
}

/** Opens `path` for bulk work: no journal and no syncs (a crash loses only a file that is made again), a large page cache. */
function openForLoading(path: string): { raw: SQLite.Database; db: Kysely<Database>; migrator: Migrator } {
  const raw = new SQLite(path);
  // better-sqlite3 opens in SQLite's defensive mode, which refuses journal_mode = OFF.
  raw.unsafeMode(true);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -262144');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  return { raw, db, migrator: new Migrator({ db, provider: migrationProvider }) };
}

async function migrateAndAnalyze(raw: SQLite.Database, migrator: Migrator): Promise<number> {
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  // The planner picks among the log's indexes by these statistics (with STAT4, by samples of the values).
  if (results?.length) raw.exec('ANALYZE');
  return results?.length ?? 0;
}

export async function benchLog(options: { users: number; rows: number; dir: string; fresh: boolean }): Promise<BenchLog> {
  mkdirSync(options.dir, { recursive: true });
  const path = join(options.dir, `verification-log-g${GENERATOR_VERSION}-u${options.users}-r${options.rows}.sqlite`);
  if (existsSync(path) && !options.fresh) {
    const { raw, db, migrator } = openForLoading(path);
    try {
      const started = performance.now();
      const applied = await migrateAndAnalyze(raw, migrator);
      const users = raw.prepare('SELECT id, username FROM users ORDER BY rowid').all() as BenchUser[];
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      return { path, users, origin: `reused ${path}${applied ? `; ${applied} new migration(s) applied in ${seconds} s` : ''}` };
    } catch (error) {
      // Made by code with other migrations (another branch): made again below.
      console.log(`verification log: not reusing ${path}: ${String(error)}`);
    } finally {
      await db.destroy();
    }
  }
  // Made under another name and renamed when complete, so an interrupted run leaves no half-made file to reuse.
  const making = `${path}.making`;
  rmSync(path, { force: true });
  rmSync(making, { force: true });
  const { raw, db, migrator } = openForLoading(making);
  try {
    const { error } = await migrator.migrateTo(LOAD_AT_MIGRATION);
    if (error) throw error;
    let started = performance.now();
    const users = generate(raw, options.users, options.rows);
    const insertSeconds = ((performance.now() - started) / 1000).toFixed(1);
    started = performance.now();
    await migrateAndAnalyze(raw, migrator);
    const indexSeconds = ((performance.now() - started) / 1000).toFixed(1);
    await db.destroy();
    renameSync(making, path);
    return {
      path,
      users,
      origin: `generated in ${insertSeconds} s (transactions of ${BATCH.toLocaleString('en')} rows), indexed in ${indexSeconds} s`,
    };
  } finally {
    if (raw.open) await db.destroy();
    rmSync(making, { force: true });
  }
}

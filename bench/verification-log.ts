/**
 * The verification log at data scale: 100,000 users and 5,000,000 records in
 * a fresh SQLite file, then the queries the app runs on it, each timed over
 * many runs (median and p99), beside a yardstick (a primary-key read through
 * the same query layer; a bare better-sqlite3 read of every row for the
 * export). Goals: p99 at most 20 ms per query; the CSV export of every record,
 * through the real streaming code, at most 100 MB peak RSS.
 *
 * The export runs in a child process of its own (bench/lib/verification-log-export.ts),
 * so its peak RSS is not the generator's. `BENCH_LOG_ROWS` / `BENCH_USERS` / `BENCH_RUNS` scale it down.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Compilable } from 'kysely';
import { buildApp } from '../src/server/app.ts';
import { logPageQuery, logRecordsFrom, prefixRange } from '../src/server/admin/verification-log-store.ts';
import { recentActivityOf } from '../src/server/core/audit/verification-log.ts';
import { loadConfig } from '../src/server/core/config.ts';
import type { ServerContext } from '../src/server/core/context.ts';
import { migrationProvider } from '../src/server/core/storage/migrations/index.ts';
import type { Database } from '../src/server/core/storage/schema.ts';
import type { LogFilter } from '../src/shared/api/admin-log.ts';
import type { ExportFigures } from './lib/verification-log-export.ts';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const ROWS = Number(process.env.BENCH_LOG_ROWS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const PAGE = 50;
/** The records span a year, as a log kept for that long would. */
const SPAN_MS = 365 * 24 * 3600 * 1000;
const END = Date.UTC(2026, 10, 25);

async function appOn(sqlitePath: string) {
  const database = new SQLite(sqlitePath);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: tmpdir(), DEMO_DATA: 'off' });
  const app = await buildApp({ config, db, masterKey: randomBytes(32) });
  return { app, ctx: app.ctx, database, close: () => app.close().then(() => db.destroy()) };
}

// ---- Generation ------------------------------------------------------------------------------

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

// A seeded generator, so two runs measure the same data.
let seed = 0x2545f491;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
function pickMode(): string {
  let r = random();
  for (const [mode, share] of modes) if ((r -= share) < 0) return mode;
  return 'password';
}
const ids = randomBytes(16 * 1024);
let idCounter = 0;
/** Ids shaped like newId(): 22 base64url characters (a counter keeps them unique without 5M calls to the CSPRNG). */
function nextId(): string {
  const buf = Buffer.alloc(16);
  ids.copy(buf, 0, (idCounter * 16) % ids.length, ((idCounter * 16) % ids.length) + 8);
  buf.writeUInt32BE(idCounter++, 12);
  for (let i = 0; i < 12; i++) buf[i]! ^= Math.floor(random() * 256);
  return buf.toString('base64url');
}

interface BenchUser {
  id: string;
  username: string;
  first: string;
  last: string;
  email: string;
}

function generate(database: SQLite.Database): BenchUser[] {
  const users: BenchUser[] = [];
  const insertUser = database.prepare(
    `INSERT INTO users (id, username, first_name, last_name, email, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?, 'x', 0, ?)`,
  );
  const insertLog = database.prepare(
    `INSERT INTO verification_log (id, at, user_id, username, first_name, last_name, email, phone, device_token, auth_mode, event, result, denial_reason, server_name, server_ip, client_ip)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const servers = ['sec-info-1', 'sec-info-2', 'sec-info-3'];
  database.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const first = pick(firstNames);
      const last = pick(lastNames);
      const user = { id: nextId(), username: `${first}.${last}${i}`, first, last, email: `${first}.${last}${i}@example.com` };
      users.push(user);
      insertUser.run(user.id, user.username, first, last, user.email, END - SPAN_MS);
    }
    for (let i = 0; i < ROWS; i++) {
      // Time runs forward with the row number, as a log is written; a few users are far busier than most.
      const at = END - SPAN_MS + Math.floor((i / ROWS) * SPAN_MS);
      const user = users[Math.floor(random() ** 1.5 * USERS)]!;
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
        mode === 'webauthn' ? ids.toString('base64url', (i * 7) % 1000, ((i * 7) % 1000) + 48) : null,
        mode,
        events[mode]!,
        denied ? 'denied' : 'success',
        denied ? pick(denialReasons[mode]!) : null,
        server,
        `10.0.0.${servers.indexOf(server) + 1}`,
        `198.51.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`,
      );
    }
  })();
  return users;
}

// ---- Timing ----------------------------------------------------------------------------------

interface Timing {
  label: string;
  medianMs: number;
  p99Ms: number;
  rows: number;
}

async function time(label: string, run: (i: number) => Promise<unknown[]>): Promise<Timing> {
  for (let i = 0; i < 5; i++) await run(i); // warm-up
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    rows += (await run(i)).length;
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!;
  return { label, medianMs: at(0.5), p99Ms: at(0.99), rows: rows / RUNS };
}

function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

function plan(database: SQLite.Database, query: Compilable): string {
  const { sql, parameters } = query.compile();
  const steps = database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(parameters as unknown[])) as Array<{ detail: string }>;
  return steps.map((s) => s.detail).join('; ');
}

const dir = mkdtempSync(join(tmpdir(), 'secinfo-bench-log-'));
const sqlitePath = join(dir, 'log.sqlite');
try {
  // Generation: every table but the log's new indexes first, the rows in one transaction, then
  // the remaining migrations, so the indexes are built once, sorted, instead of row by row.
  const raw = new SQLite(sqlitePath);
  raw.pragma('journal_mode = OFF');
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -262144');
  const setup = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const migrator = new Migrator({ db: setup, provider: migrationProvider });
  await migrator.migrateTo('005-phone');
  let started = performance.now();
  const users = generate(raw);
  const insertMs = performance.now() - started;
  started = performance.now();
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  raw.exec('ANALYZE');
  const indexMs = performance.now() - started;
  await setup.destroy();
  console.log(
    `verification log: ${USERS.toLocaleString('en')} users, ${ROWS.toLocaleString('en')} records, SQLite; ` +
      `inserted in ${(insertMs / 1000).toFixed(1)} s (one transaction), indexed in ${(indexMs / 1000).toFixed(1)} s`,
  );

  const { ctx, database, close } = await appOn(sqlitePath);
  const someUser = (i: number) => users[(i * 7919) % users.length]!;
  const busyUser = (i: number) => users[(i * 13) % 500]!;
  const randomAt = (i: number) => END - SPAN_MS + ((i * 104_729) % 1000) * (SPAN_MS / 1000);
  const allIds = database.prepare('SELECT id FROM verification_log WHERE rowid = ?').pluck();
  const page = (filter: LogFilter, i?: number) =>
    logRecordsFrom(ctx, filter, i === undefined ? undefined : { at: randomAt(i), id: 'zzzz', direction: 'older' }, PAGE + 1);
  const usersByPrefix = (c: ServerContext, typed: string, after?: string) => {
    // As the admin Users page searches: case-insensitive (names are stored lower-case), by prefix, a keyset page at a time.
    const range = prefixRange(typed.toLowerCase());
    let query = c.db
      .selectFrom('users')
      .select(['id', 'username', 'first_name', 'last_name', 'email'])
      .where('username', '>=', range.from)
      .where('username', '<', range.before);
    if (after) query = query.where('username', '>', after);
    return query.orderBy('username').limit(PAGE);
  };

  const timings: Timing[] = [];
  timings.push(
    await time('yardstick: one record by primary key', (i) =>
      ctx.db
        .selectFrom('verification_log')
        .selectAll()
        .where('id', '=', allIds.get(1 + ((i * 7919) % ROWS)) as string)
        .execute(),
    ),
  );
  timings.push(await time('user’s own activity (recentActivityOf, 50)', (i) => recentActivityOf(ctx, someUser(i).id, PAGE)));
  timings.push(await time('same, busiest users', (i) => recentActivityOf(ctx, busyUser(i).id, PAGE)));
  timings.push(await time('admin: newest page, no filter', () => page({})));
  timings.push(await time('admin: one user + denied', (i) => page({ user: someUser(i).username, result: 'denied' })));
  timings.push(await time('admin: busy user + denied', (i) => page({ user: busyUser(i).username, result: 'denied' })));
  timings.push(await time('admin: result = denied', () => page({ result: 'denied' })));
  timings.push(await time('admin: result = denied, deep keyset page', (i) => page({ result: 'denied' }, i)));
  timings.push(await time('admin: method = voice, deep keyset page', (i) => page({ method: 'voice' }, i)));
  timings.push(await time('admin: user prefix "anna.n"', () => page({ user: 'anna.n', userMatch: 'prefix' })));
  timings.push(await time('admin: rare user prefix (a whole name)', (i) => page({ user: someUser(i).username, userMatch: 'prefix' })));
  timings.push(
    await time('admin: one day', (i) =>
      page({ from: new Date(randomAt(i)).toISOString(), to: new Date(randomAt(i) + 86_400_000).toISOString() }),
    ),
  );
  timings.push(
    await time('users: search by prefix (3 letters)', (i) => usersByPrefix(ctx, someUser(i).username.slice(0, 3).toUpperCase()).execute()),
  );
  timings.push(
    await time('users: search by prefix, next page', (i) => {
      const typed = someUser(i).username.slice(0, 3);
      return usersByPrefix(ctx, typed, `${typed}m`).execute();
    }),
  );

  const yardstick = timings[0]!;
  console.log(
    renderTable([
      ['query', 'rows', 'median ms', 'p99 ms', 'p99 / yardstick', 'goal p99 ≤ 20 ms'],
      ...timings.map((t) => [
        t.label,
        t.rows.toFixed(0),
        t.medianMs.toFixed(2),
        t.p99Ms.toFixed(2),
        (t.p99Ms / yardstick.p99Ms).toFixed(1),
        t === yardstick ? '' : t.p99Ms <= 20 ? 'met' : 'MISSED',
      ]),
    ]),
  );

  console.log('\nquery plans (EXPLAIN QUERY PLAN):');
  const keyset = { at: END - SPAN_MS / 2, id: 'zzzz', direction: 'older' } as const;
  const plans: Array<[string, Compilable]> = [
    [
      'own activity',
      ctx.db.selectFrom('verification_log').selectAll().where('user_id', '=', 'u').orderBy('at', 'desc').orderBy('id', 'desc').limit(50),
    ],
    ['no filter, keyset', logPageQuery(ctx, {}, keyset, PAGE + 1)],
    ['user + denied', logPageQuery(ctx, { user: 'ann', result: 'denied' }, keyset, PAGE + 1)],
    ['user prefix', logPageQuery(ctx, { user: 'ann', userMatch: 'prefix' }, keyset, PAGE + 1)],
    ['result', logPageQuery(ctx, { result: 'denied' }, keyset, PAGE + 1)],
    ['method', logPageQuery(ctx, { method: 'voice' }, keyset, PAGE + 1)],
    ['denial reason', logPageQuery(ctx, { denialReason: 'invalid_code' }, keyset, PAGE + 1)],
    ['client IP', logPageQuery(ctx, { clientIp: '198.51.0.1' }, keyset, PAGE + 1)],
    [
      'time range',
      logPageQuery(ctx, { from: new Date(END - 86_400_000).toISOString(), to: new Date(END).toISOString() }, keyset, PAGE + 1),
    ],
    ['users by prefix', usersByPrefix(ctx, 'ann', 'anna.m')],
  ];
  for (const [label, query] of plans) console.log(`  ${label}: ${plan(database, query)}`);

  // Export yardstick: every row read by better-sqlite3 alone, in the same order, nothing written.
  started = performance.now();
  let bare = 0;
  for (const _row of database.prepare('SELECT * FROM verification_log ORDER BY at DESC, id DESC').iterate()) bare++;
  const bareMs = performance.now() - started;
  await close();

  const result = await new Promise<ExportFigures>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./lib/verification-log-export.ts', import.meta.url)), [sqlitePath]);
    child.once('message', (m) => resolve(m as ExportFigures));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`export child exited with ${code}`)));
  });
  const mb = (kb: number) => (kb / 1024).toFixed(0);
  console.log(
    `\nCSV export of every record (real streaming code, 1,000-row keyset pages, to a counting sink):\n` +
      renderTable([
        ['', 'export', 'yardstick: bare read of every row'],
        ['rows', (result.lines - 1).toLocaleString('en'), bare.toLocaleString('en')],
        ['seconds', (result.exportMs / 1000).toFixed(1), (bareMs / 1000).toFixed(1)],
        ['rows/s', ((result.lines - 1) / (result.exportMs / 1000)).toFixed(0), (bare / (bareMs / 1000)).toFixed(0)],
        ['MB written', (result.bytes / 1e6).toFixed(0), ''],
        ['peak RSS MB', mb(result.peakKb), `(process before the export: ${mb(result.baselineKb)})`],
        ['goal', result.peakKb / 1024 <= 100 ? 'peak RSS ≤ 100 MB met' : 'peak RSS ≤ 100 MB MISSED', ''],
      ]),
  );
  if (result.lines - 1 !== ROWS) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

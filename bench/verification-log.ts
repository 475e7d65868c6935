/**
 * The verification log at data scale: 100,000 users and 5,000,000 records in a SQLite file
 * (made once, then reused: bench/lib/verification-log-data.ts), then the queries the app runs on
 * it, each timed over many runs (median and p99), beside a yardstick (a primary-key read through
 * the same query layer; a bare better-sqlite3 read of every row for the export). Goals: p99 at
 * most 20 ms per query; the CSV export of every record, through the real streaming code, at most
 * 100 MB peak RSS.
 *
 * The export runs in a child process of its own under plain node (bench/lib/verification-log-export.ts,
 * bundled by Vite first), so its peak RSS is the export's. `BENCH_LOG_ROWS` / `BENCH_USERS` /
 * `BENCH_RUNS` scale it down; `BENCH_LOG_FRESH=1` makes the data again instead of reusing it.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Compilable } from 'kysely';
import { build } from 'vite';
import { searchUsersByPrefix, userSearchQuery } from '../src/server/admin/user-store.ts';
import {
  countPrefixQuery,
  logPageQuery,
  logRecordsFrom,
  prefixPlanFor,
  PREFIX_BY_NAME_MAX,
} from '../src/server/admin/verification-log-store.ts';
import { buildApp } from '../src/server/app.ts';
import { recentActivityOf } from '../src/server/core/audit/verification-log.ts';
import { loadConfig } from '../src/server/core/config.ts';
import type { Database } from '../src/server/core/storage/schema.ts';
import type { LogFilter } from '../src/shared/api/admin-log.ts';
import { benchLog, END, SPAN_MS } from './lib/verification-log-data.ts';
import type { ExportFigures } from './lib/verification-log-export.ts';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const ROWS = Number(process.env.BENCH_LOG_ROWS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const PAGE = 50;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

async function appOn(sqlitePath: string) {
  const database = new SQLite(sqlitePath);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: tmpdir(), DEMO_DATA: 'off' });
  const app = await buildApp({ config, db, masterKey: randomBytes(32) });
  return { app, ctx: app.ctx, database, close: () => app.close().then(() => db.destroy()) };
}

/** The export child bundled to plain JavaScript, so it runs under node alone: no TypeScript loader in its memory. */
async function exportChild(): Promise<string> {
  const outDir = join(repoRoot, '.tmp', 'bench', 'export-child');
  await build({
    configFile: false,
    root: repoRoot,
    logLevel: 'warn',
    build: {
      ssr: join(repoRoot, 'bench', 'lib', 'verification-log-export.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      rollupOptions: { output: { entryFileNames: 'verification-log-export.mjs' } },
    },
  });
  return join(outDir, 'verification-log-export.mjs');
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

const data = await benchLog({ users: USERS, rows: ROWS, dir: join(repoRoot, '.tmp', 'bench'), fresh: process.env.BENCH_LOG_FRESH === '1' });
console.log(`verification log: ${USERS.toLocaleString('en')} users, ${ROWS.toLocaleString('en')} records, SQLite; ${data.origin}`);
// A p99 of a few milliseconds is mostly the scheduler's when other work shares the cores: say how busy they were.
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (1 / 5 / 15 min)`,
);
const { users } = data;

const { ctx, database, close } = await appOn(data.path);
const someUser = (i: number) => users[(i * 7919) % users.length]!;
const busyUser = (i: number) => users[(i * 13) % 500]!;
const randomAt = (i: number) => END - SPAN_MS + ((i * 104_729) % 1000) * (SPAN_MS / 1000);
const deep = (i: number) => ({ at: randomAt(i), id: 'zzzz', direction: 'older' as const });
const rowIds = database.prepare('SELECT id FROM verification_log WHERE rowid = ?').pluck();
const page = (filter: LogFilter, i?: number) => logRecordsFrom(ctx, filter, i === undefined ? undefined : deep(i), PAGE + 1);
// As the admin Users page searches: what was typed, any case, a page of 50 and one more.
const search = (q: string, after?: string) => searchUsersByPrefix(ctx, { q, after, limit: PAGE }).then((p) => p.users);

const timings: Timing[] = [];
timings.push(
  await time('yardstick: one record by primary key', (i) =>
    ctx.db
      .selectFrom('verification_log')
      .selectAll()
      .where('id', '=', rowIds.get(1 + ((i * 7919) % ROWS)) as string)
      .execute(),
  ),
);
timings.push(await time('user’s own activity (recentActivityOf, 50)', (i) => recentActivityOf(ctx, someUser(i).id, PAGE)));
timings.push(await time('same, busiest users', (i) => recentActivityOf(ctx, busyUser(i).id, PAGE)));
timings.push(await time('admin: newest page, no filter', () => page({})));
timings.push(await time('admin: one user + denied', (i) => page({ user: someUser(i).username, result: 'denied' })));
timings.push(await time('admin: busy user + denied', (i) => page({ user: busyUser(i).username, result: 'denied' })));
timings.push(await time('admin: busy user + denied, deep keyset page', (i) => page({ user: busyUser(i).username, result: 'denied' }, i)));
timings.push(await time('admin: result = denied', () => page({ result: 'denied' })));
timings.push(await time('admin: result = denied, deep keyset page', (i) => page({ result: 'denied' }, i)));
timings.push(await time('admin: method = voice, deep keyset page', (i) => page({ method: 'voice' }, i)));
timings.push(await time('admin: user prefix "a" (14% of records)', () => page({ user: 'a', userMatch: 'prefix' })));
timings.push(await time('admin: user prefix "anna." (7%)', () => page({ user: 'anna.', userMatch: 'prefix' })));
timings.push(await time('admin: user prefix "anna.n" (0.6%)', () => page({ user: 'anna.n', userMatch: 'prefix' })));
timings.push(await time('admin: user prefix "anna.n", deep keyset page', (i) => page({ user: 'anna.n', userMatch: 'prefix' }, i)));
timings.push(await time('admin: user prefix, a whole name (rare)', (i) => page({ user: someUser(i).username, userMatch: 'prefix' })));
timings.push(
  await time('admin: one day', (i) =>
    page({ from: new Date(randomAt(i)).toISOString(), to: new Date(randomAt(i) + 86_400_000).toISOString() }),
  ),
);
timings.push(await time('users: search by prefix (3 letters, any case)', (i) => search(someUser(i).username.slice(0, 3).toUpperCase())));
timings.push(
  await time('users: search by prefix, next page', (i) => {
    const typed = someUser(i).username.slice(0, 3);
    return search(typed, `${typed}m`);
  }),
);
timings.push(await time('users: search, one letter', (i) => search(someUser(i).username.slice(0, 1))));
timings.push(await time('users: search, a whole user name', (i) => search(someUser(i).username)));

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

console.log('\nquery plans (EXPLAIN QUERY PLAN, with the values the timings used; SQLite plans by them):');
const keyset = deep(500);
const busy = busyUser(0).username;
const plans: Array<[string, Compilable]> = [
  [
    'own activity',
    ctx.db
      .selectFrom('verification_log')
      .selectAll()
      .where('user_id', '=', busyUser(0).id)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(50),
  ],
  ['no filter, keyset', logPageQuery(ctx, {}, keyset, PAGE + 1)],
  ['user + denied', logPageQuery(ctx, { user: busy, result: 'denied' }, undefined, PAGE + 1)],
  ['user + denied, keyset', logPageQuery(ctx, { user: busy, result: 'denied' }, keyset, PAGE + 1)],
  ...(['a', 'anna.', 'anna.n', someUser(1).username] as const).flatMap((prefix): Array<[string, Compilable]> => {
    const filter: LogFilter = { user: prefix, userMatch: 'prefix' };
    return (['by-name', 'by-time'] as const).map((way) => [
      `user prefix "${prefix}" read ${way}`,
      logPageQuery(ctx, filter, undefined, PAGE + 1, way),
    ]);
  }),
  ['user prefix: the count that chooses', countPrefixQuery(ctx, 'anna.', PREFIX_BY_NAME_MAX)],
  ['result', logPageQuery(ctx, { result: 'denied' }, keyset, PAGE + 1)],
  ['method', logPageQuery(ctx, { method: 'voice' }, keyset, PAGE + 1)],
  ['denial reason', logPageQuery(ctx, { denialReason: 'invalid_code' }, keyset, PAGE + 1)],
  ['client IP', logPageQuery(ctx, { clientIp: '198.51.0.1' }, keyset, PAGE + 1)],
  ['time range', logPageQuery(ctx, { from: new Date(END - 86_400_000).toISOString(), to: new Date(END).toISOString() }, keyset, PAGE + 1)],
  ['users search "ann" after "anna.m"', userSearchQuery(ctx, { q: 'ann', after: 'anna.m', limit: PAGE })],
];
for (const [label, query] of plans) console.log(`  ${label}: ${plan(database, query)}`);
console.log('  ways chosen for a first page:');
for (const prefix of ['a', 'anna.', 'anna.n', 'anna.no', someUser(1).username]) {
  console.log(`    "${prefix}": ${await prefixPlanFor(ctx, { user: prefix, userMatch: 'prefix' })}`);
}

// Export yardstick: every row read by better-sqlite3 alone, in the same order, nothing written.
let started = performance.now();
let bare = 0;
for (const _row of database.prepare('SELECT * FROM verification_log ORDER BY at DESC, id DESC').iterate()) bare++;
const bareMs = performance.now() - started;
await close();

started = performance.now();
const childPath = await exportChild();
const bundleMs = performance.now() - started;
/** One export in a plain node child (no TypeScript loader), with the given V8 flags. */
const runExport = (execArgv: string[]) =>
  new Promise<ExportFigures>((resolve, reject) => {
    const child = fork(childPath, [data.path], { execArgv });
    child.once('message', (m) => resolve(m as ExportFigures));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`export child exited with ${code}`)));
  });
/**
 * The export's live data stay at 10-13 MB (--trace-gc); what the resident set shows beyond that is
 * V8 letting garbage pile up before a full collection. The same export under a bounded heap shows
 * what an instance started with these flags would use (docs/reference.md#verification-log).
 */
const BOUNDED_HEAP = ['--max-old-space-size=40', '--max-semi-space-size=1'];
const result = await runExport([]);
const bounded = await runExport(BOUNDED_HEAP);
const mb = (kb: number) => (kb / 1024).toFixed(0);
const goal = (r: ExportFigures) => (r.peakKb / 1024 <= 100 ? 'met' : 'MISSED');
console.log(
  `\nCSV export of every record (real streaming code, keyset pages, to a counting sink; ` +
    `child bundled in ${(bundleMs / 1000).toFixed(1)} s, run by node ${result.node}):\n` +
    renderTable([
      ['', 'export, V8 defaults', `export, ${BOUNDED_HEAP.join(' ')}`, 'yardstick: bare read of every row'],
      ['rows', (result.lines - 1).toLocaleString('en'), (bounded.lines - 1).toLocaleString('en'), bare.toLocaleString('en')],
      ['seconds', (result.exportMs / 1000).toFixed(1), (bounded.exportMs / 1000).toFixed(1), (bareMs / 1000).toFixed(1)],
      [
        'rows/s',
        ((result.lines - 1) / (result.exportMs / 1000)).toFixed(0),
        ((bounded.lines - 1) / (bounded.exportMs / 1000)).toFixed(0),
        (bare / (bareMs / 1000)).toFixed(0),
      ],
      ['MB written', (result.bytes / 1e6).toFixed(0), (bounded.bytes / 1e6).toFixed(0), ''],
      ['peak RSS MB', mb(result.peakKb), mb(bounded.peakKb), ''],
      ['RSS before the export MB', mb(result.baselineKb), mb(bounded.baselineKb), ''],
      ['goal peak RSS ≤ 100 MB', goal(result), goal(bounded), ''],
    ]),
);
if (result.lines - 1 !== ROWS || bounded.lines - 1 !== ROWS) process.exitCode = 1;

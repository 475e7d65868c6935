/**
 * Legacy sign-in throughput: the real app (in-process, every attempt logged,
 * throttled and checked) against a bare node:http server doing only the same
 * Basic parsing and one HMAC check — the yardstick — on SQLite (a temp dir)
 * and on PostgreSQL (a throw-away database on the local server). Each pair is
 * measured back to back, so the ratio holds even when the machine is busy.
 * `legacyEndpointRows()` returns the figures for the suite; run directly
 * (`npx tsx bench/legacy-endpoint.ts`) it prints them. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { hashPassword } from '../src/server/core/auth/passwords.ts';
import { newId } from '../src/server/core/crypto/random.ts';
import { formatAppPassword, generateAppPassword, hashAppPassword } from '../src/server/methods/app-passwords/app-password-secret.ts';
import { savePolicy } from '../src/server/core/security-info/policy-store.ts';
import { migrateToLatest, openDatabase, type DatabaseKind } from '../src/server/core/storage/db.ts';
import { createTestDatabase } from '../src/server/test-support/test-app.ts';
import { defaultOrgPolicy } from '../src/shared/policy.ts';
import { startBareServer, WHOAMI_PATH } from './lib/bare-server.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { printComparison } from './lib/report.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
/** Turns of each side per database; each turn lasts BENCH_SECONDS / rounds (at least 1 s). */
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const turnSeconds = Math.max(1, Math.round(seconds / rounds));

/** Several turns as one: mean rate, worst p99, summed failures. */
function combined(runs: readonly LoadResult[]): LoadResult {
  return {
    requestsPerSecond: runs.reduce((sum, r) => sum + r.requestsPerSecond, 0) / runs.length,
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

/** What the issue asks of each database: app ÷ bare node:http. */
const GOALS: Record<DatabaseKind, number> = { sqlite: 0.5, postgres: 0.3 };

export interface LegacyEndpointRow {
  figure: string;
  database: DatabaseKind;
  /** The app's successful legacy sign-ins per second. */
  app: number;
  /** The bare node:http server's, measured just before. */
  yardstick: number;
  unit: string;
  ratio: number;
  goal: number;
}

async function startRealApp(kind: DatabaseKind, username: string, raw: string) {
  const dir = mkdtempSync(join(tmpdir(), 'secinfo-bench-'));
  const created = kind === 'postgres' ? await createTestDatabase('postgres') : undefined;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
  const database = openDatabase({ databaseUrl: created?.url, sqlitePath: join(dir, 'bench.sqlite') });
  await migrateToLatest(database.db);
  const app = await buildApp({ config, db: database.db, masterKey: randomBytes(32), ...(database.pool ? { pool: database.pool } : {}) });
  await savePolicy(app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 40 } });
  const userId = newId();
  await app.ctx.db
    .insertInto('users')
    .values({
      id: userId,
      username,
      first_name: 'Bench',
      last_name: 'User',
      email: null,
      password_hash: await hashPassword('unused-account-password'),
      is_admin: 0,
      language: null,
      default_method_id: null,
      reregister_reason: null,
      created_at: Date.now(),
    })
    .execute();
  await app.ctx.db
    .insertInto('app_passwords')
    .values({
      id: newId(),
      user_id: userId,
      name: 'bench',
      hash: hashAppPassword(app.ctx.keys.appPasswordHashing, raw),
      created_at: Date.now(),
      last_used_at: null,
      last_used_ip: null,
    })
    .execute();
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `${address}${WHOAMI_PATH}`,
    logRows: async () =>
      Number(
        (
          await app.ctx.db
            .selectFrom('verification_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    close: async () => {
      await app.close();
      await database.close();
      await created?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function measure(kind: DatabaseKind, print: boolean): Promise<LegacyEndpointRow> {
  const username = 'bench-user';
  const raw = generateAppPassword();
  const authorization = basic(username, formatAppPassword(raw));
  const real = await startRealApp(kind, username, raw);
  const key = randomBytes(32);
  const bare = await startBareServer({ users: new Map([[username, { hash: hashAppPassword(key, raw), displayName: 'Bench User' }]]), key });
  try {
    for (const [name, url] of [
      ['app', real.url],
      ['yardstick', bare.url],
    ] as const) {
      const res = await fetch(url, { headers: { authorization } });
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}, not 200: refusing to benchmark it`);
    }
    // Other work on the machine comes and goes: short turns of each, alternating, so both see the same load.
    const ceilingRuns: LoadResult[] = [];
    const appRuns: LoadResult[] = [];
    const logBefore = await real.logRows();
    // CPU of this process (server and load generator) per request: tells a CPU-bound run from one waiting on commits.
    const cpu = { app: 0, ceiling: 0 };
    const timed = async (side: 'app' | 'ceiling', url: string) => {
      const before = process.cpuUsage();
      const result = await runLoad({ url, headers: { authorization }, durationSeconds: turnSeconds, connections });
      const used = process.cpuUsage(before);
      cpu[side] += used.user + used.system;
      return result;
    };
    for (let round = 0; round < rounds; round++) {
      ceilingRuns.push(await timed('ceiling', bare.url));
      appRuns.push(await timed('app', real.url));
    }
    const logged = (await real.logRows()) - logBefore;
    const ceiling = combined(ceilingRuns);
    const app = combined(appRuns);
    if (print) {
      console.log(
        `Legacy endpoint GET ${WHOAMI_PATH} on ${kind}, HTTP Basic with an app password, ${connections} connections, ${rounds} alternating turns of ${turnSeconds} s each, loopback:`,
      );
      printComparison({ app, ceiling });
      const perRequest = (micros: number, runs: LoadResult[]) =>
        (micros / runs.reduce((sum, r) => sum + r.requestsPerSecond * turnSeconds, 0)).toFixed(0);
      console.log(`verification log rows written during the run: ${logged}`);
      console.log(
        `CPU of this process per request (µs): app ${perRequest(cpu.app, appRuns)}, yardstick ${perRequest(cpu.ceiling, ceilingRuns)}; ` +
          `CPU share while loading: app ${((cpu.app / 1e6 / (turnSeconds * rounds)) * 100).toFixed(0)} %, yardstick ${((cpu.ceiling / 1e6 / (turnSeconds * rounds)) * 100).toFixed(0)} %`,
      );
    }
    if (app.non2xx > 0 || app.errors > 0) {
      throw new Error(
        `the app answered non-2xx (${app.non2xx}) or failed (${app.errors}) during the ${kind} run; the figures are not a success path`,
      );
    }
    return {
      figure: '`GET /legacy/v1/whoami` with a valid app password',
      database: kind,
      app: app.requestsPerSecond,
      yardstick: ceiling.requestsPerSecond,
      unit: 'req/s',
      ratio: ceiling.requestsPerSecond > 0 ? app.requestsPerSecond / ceiling.requestsPerSecond : 0,
      goal: GOALS[kind],
    };
  } finally {
    await real.close();
    await bare.close();
  }
}

/** Both databases, SQLite first; PostgreSQL is skipped when SKIP_PG=1; BENCH_DATABASES=postgres measures one. */
export async function legacyEndpointRows(options: { print?: boolean } = {}): Promise<LegacyEndpointRow[]> {
  const chosen = process.env.BENCH_DATABASES?.split(',').filter((k): k is DatabaseKind => k === 'sqlite' || k === 'postgres');
  const kinds: DatabaseKind[] = chosen?.length ? chosen : process.env.SKIP_PG === '1' ? ['sqlite'] : ['sqlite', 'postgres'];
  const rows: LegacyEndpointRow[] = [];
  for (const kind of kinds) rows.push(await measure(kind, options.print ?? false));
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await legacyEndpointRows({ print: true });
  console.log('\ndatabase  app req/s  yardstick req/s  ratio  goal');
  for (const r of rows) {
    console.log(
      `${r.database.padEnd(8)}  ${r.app.toFixed(0).padStart(9)}  ${r.yardstick.toFixed(0).padStart(15)}  ${r.ratio.toFixed(3).padStart(5)}  ≥ ${r.goal}`,
    );
  }
}

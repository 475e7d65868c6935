/**
 * Password sign-ins per CPU-second of the server process: the built server
 * (`node dist/server/main.js`, production settings, SQLite) answering
 * POST /api/auth/sign-in from a browser that has its session and CSRF token
 * (fetched with the page, outside what is measured), for users with an
 * authenticator app, against bare `@node-rs/argon2` verification of the
 * same stored hash (so the same Argon2id parameters) in a process of its own.
 * CPU time, not wall time: the ratio then says what the app adds to the hash,
 * whatever else the machine is doing. The CPU of the main thread (the event loop)
 * is also shown apart from the other threads' (Argon2 on libuv's pool, V8's
 * helpers), to tell what the request costs from what the hash costs beside it
 * (docs/reference.md#performance-limits). Run alone with `npx tsx bench/sign-in.ts`
 * after `npm run build`.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { dev, session } from '../src/shared/api/index.ts';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { migrateToLatest, openDatabase } from '../src/server/core/storage/db.ts';
import {
  assertBuilt,
  builtServer,
  cpuUseBetween,
  cpuUseOf,
  productionEnv,
  repoRoot,
  spawnUntilHealthy,
  type CpuUse,
} from './lib/process.ts';
import type { BenchRow } from './lib/rows.ts';
import { isMain, printRows } from './lib/table.ts';

const ROUNDS = 5;
/** A multiple of ROUNDS. */
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 150);
const WARM_UP = 10;
/** Sign-ins (and verifications) in flight at once: one per core of this machine's two. */
const CONCURRENCY = 2;
const USERS = 4;

interface BenchUser {
  username: string;
  password: string;
}

/** Users with an authenticator app, made through the dev API of an in-process app on the file the server will open. */
async function createUsers(dataDir: string, secretKey: string): Promise<BenchUser[]> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SECRET_KEY: secretKey });
  const database = openDatabase({ sqlitePath: config.sqlitePath });
  await migrateToLatest(database.db);
  const app = await buildApp({ config, db: database.db, masterKey: Buffer.from(secretKey, 'base64') });
  try {
    const users: BenchUser[] = [];
    for (let i = 0; i < USERS; i++) {
      const res = await app.inject({ method: 'POST', url: dev.createTestUser.path, payload: { withAuthenticator: true } });
      if (res.statusCode !== 200) throw new Error(`creating a user answered ${res.statusCode}`);
      users.push(res.json<BenchUser>());
    }
    return users;
  } finally {
    await app.close();
    await database.close();
  }
}

interface FreshSession {
  cookie: string;
  csrfToken: string;
}

/** The session a browser has when it shows the sign-in form: fetched with the page, before the password is typed. */
async function freshSession(origin: string): Promise<FreshSession> {
  const res = await fetch(`${origin}${session.getSession.path}`);
  const cookie = res.headers.getSetCookie()[0]?.split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  if (!cookie) throw new Error('no session cookie');
  return { cookie, csrfToken };
}

/** A password sign-in: the password sent with the session's CSRF token. */
async function signInOnce(origin: string, user: BenchUser, fresh: FreshSession): Promise<void> {
  const res = await fetch(`${origin}${session.signIn.path}`, {
    method: 'POST',
    headers: { cookie: fresh.cookie, 'x-csrf-token': fresh.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
}

/** `count` sign-ins, CONCURRENCY at a time; their sessions are fetched first, outside what is measured. */
async function signInMany(origin: string, users: BenchUser[], count: number, measure: () => CpuUse): Promise<CpuUse> {
  const sessions: FreshSession[] = [];
  for (let i = 0; i < count; i++) sessions.push(await freshSession(origin));
  const before = measure();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await signInOnce(origin, users[i % users.length]!, sessions[i]!);
      }
    }),
  );
  return cpuUseBetween(before, measure());
}

/** The yardstick: `verify` of the app's own hash, CONCURRENCY at once, in a bare node process; one batch per line read. */
const BARE_VERIFY = `
const { verify } = require('@node-rs/argon2');
const { readFileSync } = require('node:fs');
const { HASH, PASSWORD, CONCURRENCY } = process.env;
function fields(path) {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
function use() {
  const f = fields('/proc/self/stat');
  const main = fields('/proc/self/task/' + process.pid + '/stat');
  return { user: Number(f[11]) / 100, system: Number(f[12]) / 100, minorFaults: Number(f[7]), mainThread: (Number(main[11]) + Number(main[12])) / 100 };
}
async function run(count) {
  let next = 0;
  await Promise.all(Array.from({ length: Number(CONCURRENCY) }, async () => {
    while (next++ < count) if (!(await verify(HASH, PASSWORD))) throw new Error('verify failed');
  }));
}
let queue = Promise.resolve();
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(async () => {
    const before = use();
    await run(Number(line));
    const after = use();
    console.log(JSON.stringify({ user: after.user - before.user, system: after.system - before.system, minorFaults: after.minorFaults - before.minorFaults, mainThread: after.mainThread - before.mainThread }));
  });
});`;

interface BareVerifier {
  run(count: number): Promise<CpuUse>;
  close(): void;
}

async function startBareVerifier(): Promise<BareVerifier> {
  const { hashPassword } = await import('../src/server/core/auth/passwords.ts');
  const password = randomBytes(12).toString('base64url');
  const hash = await hashPassword(password);
  const child = spawn(process.execPath, ['-e', BARE_VERIFY], {
    cwd: repoRoot,
    env: { ...process.env, HASH: hash, PASSWORD: password, CONCURRENCY: String(CONCURRENCY) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    run: async (count) => {
      child.stdin.write(`${count}\n`);
      const line = await lines.next();
      if (line.done) throw new Error('the bare verifier ended');
      return JSON.parse(line.value) as CpuUse;
    },
    close: () => child.kill(),
  };
}

const sum = (uses: CpuUse[]): CpuUse =>
  uses.reduce(
    (a, b) => ({
      user: a.user + b.user,
      system: a.system + b.system,
      minorFaults: a.minorFaults + b.minorFaults,
      mainThread: a.mainThread + b.mainThread,
    }),
    { user: 0, system: 0, minorFaults: 0, mainThread: 0 },
  );

/** Both measured in alternating rounds, so a change in the machine's load falls on both alike. */
async function measure(): Promise<{ app: CpuUse; bare: CpuUse }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'secinfo-bench-sign-in-'));
  const secretKey = randomBytes(32).toString('base64');
  const bare = await startBareVerifier();
  try {
    const users = await createUsers(dataDir, secretKey);
    const server = await spawnUntilHealthy({
      args: [builtServer],
      env: { ...productionEnv(dataDir), SECRET_KEY: secretKey, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' },
      healthPath: '/api/health',
    });
    try {
      const origin = `http://127.0.0.1:${server.port}`;
      const pid = server.child.pid!;
      await signInMany(origin, users, WARM_UP, () => cpuUseOf(pid));
      await bare.run(WARM_UP);
      const app: CpuUse[] = [];
      const bareUses: CpuUse[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        app.push(await signInMany(origin, users, SIGN_INS / ROUNDS, () => cpuUseOf(pid)));
        bareUses.push(await bare.run(SIGN_INS / ROUNDS));
      }
      return { app: sum(app), bare: sum(bareUses) };
    } finally {
      await server.stop();
    }
  } finally {
    bare.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function signInRows(): Promise<BenchRow[]> {
  assertBuilt();
  const { app: appUse, bare: bareUse } = await measure();
  const perSecond = (use: CpuUse) => SIGN_INS / (use.user + use.system);
  const app = perSecond(appUse);
  const bare = perSecond(bareUse);
  const perSignIn = (use: CpuUse, part: 'user' | 'system') => (use[part] * 1000) / SIGN_INS;
  return [
    {
      figure: `password sign-ins per CPU-second (${SIGN_INS}, ${CONCURRENCY} at a time)`,
      database: 'sqlite',
      app,
      yardstick: bare,
      unit: '/CPU-s',
      ratio: app / bare,
      goal: { on: 'ratio', atLeast: 0.95 },
    },
    ...(['user', 'system'] as const).map((part) => ({
      figure: `${part} CPU per sign-in`,
      app: perSignIn(appUse, part),
      yardstick: perSignIn(bareUse, part),
      unit: 'ms',
      ratio: perSignIn(appUse, part) / perSignIn(bareUse, part),
    })),
    // Where the difference is: Argon2 runs on libuv's pool in both, the request on the app's main thread.
    ...(
      [
        ['main-thread CPU per sign-in (the request; the yardstick only awaits)', (use: CpuUse) => use.mainThread],
        ["other threads' CPU per sign-in (Argon2 on the pool, V8's helpers)", (use: CpuUse) => use.user + use.system - use.mainThread],
      ] as const
    ).map(([figure, part]) => ({
      figure,
      app: (part(appUse) * 1000) / SIGN_INS,
      yardstick: (part(bareUse) * 1000) / SIGN_INS,
      unit: 'ms',
      ratio: part(appUse) / part(bareUse),
    })),
    {
      figure: 'minor page faults per sign-in',
      app: appUse.minorFaults / SIGN_INS,
      yardstick: bareUse.minorFaults / SIGN_INS,
      unit: '',
      ratio: appUse.minorFaults / bareUse.minorFaults,
    },
  ];
}

if (isMain(import.meta.url)) printRows(await signInRows());

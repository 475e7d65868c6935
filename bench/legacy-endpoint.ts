/**
 * Legacy sign-in throughput: the real app (in-process, SQLite in a temp dir,
 * every request logged, throttled and checked against the database) against
 * a bare node:http server doing only the same parsing and HMAC check — the
 * ceiling. Prints both and their ratio. Loopback only, a few seconds each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { hashPassword } from '../src/server/core/auth/passwords.ts';
import { newId } from '../src/server/core/crypto/random.ts';
import { formatAppPassword, generateAppPassword, hashAppPassword } from '../src/server/methods/app-passwords/app-password-secret.ts';
import { savePolicy } from '../src/server/core/security-info/policy-store.ts';
import { migrateToLatest, openDatabase } from '../src/server/core/storage/db.ts';
import { defaultOrgPolicy } from '../src/shared/policy.ts';
import { startBareServer, WHOAMI_PATH } from './lib/bare-server.ts';
import { runLoad } from './lib/load.ts';
import { printComparison } from './lib/report.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

async function startRealApp(username: string, raw: string) {
  const dir = mkdtempSync(join(tmpdir(), 'secinfo-bench-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
  const database = openDatabase({ sqlitePath: join(dir, 'bench.sqlite') });
  await migrateToLatest(database.db);
  const app = await buildApp({ config, db: database.db, masterKey: randomBytes(32) });
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
    close: async () => {
      await app.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const username = 'bench-user';
const raw = generateAppPassword();
const authorization = basic(username, formatAppPassword(raw));

const real = await startRealApp(username, raw);
const key = randomBytes(32);
const bare = await startBareServer({ users: new Map([[username, { hash: hashAppPassword(key, raw), displayName: 'Bench User' }]]), key });
try {
  for (const [name, url] of [
    ['app', real.url],
    ['ceiling', bare.url],
  ] as const) {
    const res = await fetch(url, { headers: { authorization } });
    if (res.status !== 200) throw new Error(`${name} answered ${res.status}, not 200: refusing to benchmark it`);
  }
  const ceiling = await runLoad({ url: bare.url, headers: { authorization }, durationSeconds: seconds, connections });
  const app = await runLoad({ url: real.url, headers: { authorization }, durationSeconds: seconds, connections });
  console.log(
    `Legacy endpoint GET ${WHOAMI_PATH}, HTTP Basic with an app password, ${connections} connections, ${seconds} s each, loopback:`,
  );
  printComparison({ app, ceiling });
  if (app.non2xx > 0 || app.errors > 0) {
    process.exitCode = 1;
    console.error('The app answered non-2xx or failed during the run; the figures are not a success path.');
  }
} finally {
  await real.close();
  await bare.close();
}

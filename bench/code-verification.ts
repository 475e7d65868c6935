/**
 * Code-verification throughput: POST /api/auth/phone/verify on the real app
 * (in-process, SQLite in a temp dir). Every request is a real second-step
 * sign-in: its own session, its own challenge, the right code; the server
 * checks the HMAC, consumes the challenge with a conditional update, writes
 * the verification log and rotates the session. The pool is prepared in the
 * database first, so only verification is measured. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { newId, randomToken, sha256Hex } from '../src/server/core/crypto/random.ts';
import { codeHash } from '../src/server/methods/phone/code-challenges.ts';
import { migrateToLatest, openDatabase } from '../src/server/core/storage/db.ts';

const POOL = Number(process.env.BENCH_POOL ?? 6000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

const dir = mkdtempSync(join(tmpdir(), 'secinfo-bench-'));
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
const database = openDatabase({ sqlitePath: join(dir, 'bench.sqlite') });
await migrateToLatest(database.db);
const app = await buildApp({ config, db: database.db, masterKey: randomBytes(32) });
const { ctx } = app;
const now = Date.now();

const userId = newId();
const methodId = newId();
await ctx.db
  .insertInto('users')
  .values({
    id: userId,
    username: 'bench',
    first_name: null,
    last_name: null,
    email: null,
    password_hash: 'x',
    is_admin: 0,
    language: null,
    default_method_id: methodId,
    reregister_reason: null,
    created_at: now,
  })
  .execute();
await ctx.db
  .insertInto('methods')
  .values({ id: methodId, user_id: userId, kind: 'phone', label: 'Mobile', created_at: now, last_used_at: null })
  .execute();
await ctx.db
  .insertInto('phones')
  .values({ method_id: methodId, user_id: userId, phone_kind: 'mobile', e164: '+48512345678', extension: null })
  .execute();

interface Item {
  cookie: string;
  csrf: string;
  body: string;
}
const pool: Item[] = [];
await ctx.db.transaction().execute(async (trx) => {
  for (let i = 0; i < POOL; i++) {
    const token = randomToken();
    const csrf = randomToken();
    const idHash = sha256Hex(token);
    const challengeId = newId();
    const code = String(i % 1_000_000).padStart(6, '0');
    await trx
      .insertInto('sessions')
      .values({
        id_hash: idHash,
        user_id: userId,
        csrf_token: csrf,
        stage: 'second_factor',
        second_factor_at: null,
        registration_reason: null,
        created_at: now,
        last_seen_at: now,
        expires_at: now + 3_600_000,
      })
      .execute();
    await trx
      .insertInto('phone_challenges')
      .values({
        id: challengeId,
        user_id: userId,
        purpose: 'sign_in',
        method_id: methodId,
        phone_kind: 'mobile',
        e164: '+48512345678',
        extension: null,
        delivery: 'sms',
        code_hash: codeHash(ctx, challengeId, code),
        attempts: 0,
        session_hash: idHash,
        created_at: now,
        expires_at: now + 3_600_000,
        consumed_at: null,
      })
      .execute();
    pool.push({ cookie: `sid=${token}`, csrf, body: JSON.stringify({ challengeId, code }) });
  }
});

const address = await app.listen({ host: '127.0.0.1', port: 0 });
let next = 0;
const result = await autocannon({
  url: `${address}/api/auth/phone/verify`,
  connections,
  amount: POOL,
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        const item = pool[next++ % POOL]!;
        return {
          ...req,
          body: item.body,
          headers: { ...req.headers, 'content-type': 'application/json', cookie: item.cookie, 'x-csrf-token': item.csrf },
        };
      },
    },
  ],
});
const ok = result['2xx'];
console.log(
  `POST /api/auth/phone/verify: ${POOL} verifications (each a new session and challenge, right code), ${connections} connections, SQLite`,
);
console.log(
  `  ${(ok / (result.duration || 1)).toFixed(0)} successful verifications/s, mean ${result.requests.average.toFixed(0)} req/s, latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
);
if (result.non2xx > 0 || ok !== POOL) process.exitCode = 1;
await app.close();
await database.close();
rmSync(dir, { recursive: true, force: true });

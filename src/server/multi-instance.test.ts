import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Running } from './test-support/mail-servers.ts';
import { createUserOver, registerMethodsOver, withConcurrency, type UserRun } from './test-support/service-flows.ts';
import {
  NGINX,
  answeredBy,
  startInstance,
  startNginxProxy,
  stopInstance,
  waitInRotation,
  waitReady,
  type Instance,
} from './test-support/service-stack.ts';
import { createTestDatabase } from './test-support/test-app.ts';

/**
 * Two server processes on one fresh PostgreSQL database behind nginx
 * (deploy/nginx.conf), run as an operator runs them. SERVICE_TEST_USERS sets
 * how many users sign in at once (200 by default, as the issue asks).
 */
const USERS = Number(process.env.SERVICE_TEST_USERS ?? 200);
const runnable = process.env.SKIP_PG !== '1' && existsSync(NGINX);

let nextPhone = 0;
/** Numbers unique to this run, so the newest outbox message to one is its user's code. */
function phoneNumber(): { national: string; e164: string } {
  nextPhone += 1;
  const subscriber = String(3_000_000 + nextPhone).padStart(7, '0');
  return { national: `51${subscriber}`, e164: `+4851${subscriber}` };
}

describe.skipIf(!runnable)('two instances behind nginx on one PostgreSQL database', { timeout: 240_000 }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  let proxy: Running & { origin: string };
  const instances: Instance[] = [];
  const ports: number[] = [];
  const secretKey = randomBytes(32).toString('base64');

  const start = async (name: string, port: number): Promise<Instance> => {
    const instance = await startInstance({ name, port, databaseUrl: database.url!, secretKey, publicOrigin: proxy.origin });
    instances.push(instance);
    await waitReady(instance);
    return instance;
  };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    ports.push(await freePort(), await freePort());
    proxy = await startNginxProxy(
      ports.map((p) => `127.0.0.1:${p}`),
      await freePort(),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => stopInstance(i, 'SIGKILL')));
    await proxy?.stop();
    await client?.end();
    await database?.drop();
  });

  /** Creates `count` users, then has each register an app and a phone at once; `during` runs once a quarter are done. */
  async function load(count: number, during: () => Promise<void>): Promise<UserRun[]> {
    const users = await withConcurrency(
      Array.from({ length: count }, () => 0),
      count,
      () => createUserOver(proxy.origin),
    );
    let done = 0;
    let interrupted: Promise<void> | undefined;
    const runs = await withConcurrency(users, count, async (user) => {
      const number = phoneNumber();
      const run = await registerMethodsOver(proxy.origin, user, number.national, number.e164);
      done += 1;
      if (done === Math.ceil(count / 4)) interrupted = during();
      return run;
    });
    await interrupted;
    return runs;
  }

  /** Each user's methods in the database, by kind. */
  async function methodsOf(usernames: string[]): Promise<Map<string, Array<{ id: string; kind: string }>>> {
    const { rows } = await client.query<{ username: string; id: string; kind: string }>(
      `select u.username, m.id, m.kind from users u join methods m on m.user_id = u.id where u.username = any($1)`,
      [usernames],
    );
    const byUser = new Map<string, Array<{ id: string; kind: string }>>(usernames.map((u) => [u, []]));
    for (const row of rows) byUser.get(row.username)!.push({ id: row.id, kind: row.kind });
    return byUser;
  }

  it(`${USERS} users sign in and register an app and a phone while one instance gets SIGTERM: nothing fails, nothing is lost or doubled`, async () => {
    const one = await start('one', ports[0]!);
    await start('two', ports[1]!);
    let stoppedWith: NodeJS.Signals | number | null = null;
    const runs = await load(USERS, async () => {
      stoppedWith = await stopInstance(one, 'SIGTERM');
    });

    expect(runs.filter((r) => r.failed).map((r) => r.failed)).toEqual([]);
    expect(stoppedWith).toBe(0);
    expect(one.output()).not.toMatch(/"level":(50|60)/);

    const methods = await methodsOf(runs.map((r) => r.username));
    for (const run of runs) {
      const kinds = methods
        .get(run.username)!
        .map((m) => m.kind)
        .sort();
      expect(kinds, run.username).toEqual(['authenticator', 'phone']);
      expect(
        methods
          .get(run.username)!
          .map((m) => m.id)
          .sort(),
      ).toEqual([run.acknowledged.authenticator, run.acknowledged.phone].sort());
    }

    // Which instance sent each code and which confirmed it: the verification log names the server.
    const { rows } = await client.query<{ sent_by: string; confirmed_by: string }>(
      `select s.server_name as sent_by, c.server_name as confirmed_by
         from verification_log s join verification_log c on c.username = s.username
        where s.event = 'phone.code_sent' and s.result = 'success'
          and c.event = 'security_info.method_added' and c.auth_mode = 'sms' and s.username = any($1)`,
      [runs.map((r) => r.username)],
    );
    expect(rows).toHaveLength(USERS);
    const crossed = rows.filter((r) => r.sent_by !== r.confirmed_by);
    // Round-robin sends about half of the confirmations to the other instance; every one of them worked.
    expect(crossed.length).toBeGreaterThan(USERS / 10);
    expect(new Set(crossed.map((r) => r.sent_by))).toEqual(new Set(['one', 'two']));
  });

  it(`and with kill -9 of an instance under the same load: every acknowledged write is in the database`, async () => {
    const again = await start('one-again', ports[0]!);
    await waitInRotation(proxy.origin, again);
    const two = instances.find((i) => i.name === 'two')!;
    let killedWith: NodeJS.Signals | number | null = null;
    let killedAt = 0;
    const runs = await load(USERS, async () => {
      killedAt = Date.now();
      killedWith = await stopInstance(two, 'SIGKILL');
    });
    expect(killedWith).toBe('SIGKILL');
    expect(await answeredBy(again, '/api/auth/sign-in')).toBeGreaterThan(0);
    const scraped = await (await fetch(`http://127.0.0.1:${again.metricsPort}/metrics`)).text();
    expect(scraped).toMatch(/^secinfo_db_pool_connections\{state="idle"\} \d+$/m);

    const methods = await methodsOf(runs.map((r) => r.username));
    for (const run of runs) {
      const stored = methods.get(run.username)!;
      for (const id of Object.values(run.acknowledged))
        expect(
          stored.map((m) => m.id),
          run.username,
        ).toContain(id);
      // A retried or half-done request never leaves two of a kind.
      expect(stored.filter((m) => m.kind === 'authenticator').length).toBeLessThanOrEqual(1);
      expect(stored.filter((m) => m.kind === 'phone').length).toBeLessThanOrEqual(1);
    }
    // Clients see errors only for requests in flight at the kill: nginx's 502 at that moment, nothing later,
    // and nothing from the app itself; every other flow finished on the surviving instance.
    const failures = runs.flatMap((r) => (r.failed ? [r.failed] : []));
    console.info(`kill -9: ${failures.length} of ${runs.length} flows saw an error (requests in flight on the killed instance)`);
    for (const failure of failures) {
      expect(failure.status, JSON.stringify(failure)).toBe(502);
      expect(failure.at - killedAt).toBeLessThan(2_000);
    }
    expect(runs.filter((r) => !r.failed && (!r.acknowledged.authenticator || !r.acknowledged.phone))).toEqual([]);
  });
});

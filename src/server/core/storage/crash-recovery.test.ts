import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { admin, appPasswords, authenticator, dev, securityInfo, session } from '../../../shared/api/index.ts';
import { buildPath, type EndpointDef } from '../../../shared/endpoint.ts';
import { totpCode } from '../../methods/authenticator/totp.ts';

/**
 * `kill -9` of the real server process during concurrent writes
 * (registrations, app passwords, renames), then a restart on the same SQLite
 * file: every acknowledged write is there, every acknowledged deletion stays
 * deleted, and SQLite's integrity check passes. A write that was in flight
 * when the process died may or may not be there; nothing else is uncertain.
 */
const root = join(import.meta.dirname, '..', '..', '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

class ServerProcess {
  private child: ChildProcess | undefined;
  constructor(
    readonly origin: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.origin}/api/health`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the server did not start');
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

/** A browser over real HTTP: the session cookie and the CSRF token. */
class HttpClient {
  private cookie = '';
  private csrf = '';
  constructor(private readonly origin: string) {}

  async call(
    def: EndpointDef,
    input: { params?: Record<string, string>; body?: unknown } = {},
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.origin + buildPath(def.path, input.params), {
      method: def.method,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...(def.method !== 'GET' ? { 'content-type': 'application/json' } : {}),
      },
      ...(def.method !== 'GET' ? { body: JSON.stringify(input.body ?? {}) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie?.startsWith('sid=')) this.cookie = setCookie.split(';')[0]!;
    const body: unknown = await res.json();
    const token = (body as { csrfToken?: unknown }).csrfToken;
    if (typeof token === 'string') this.csrf = token;
    return { status: res.status, body };
  }

  async signIn(user: { username: string; password: string; totpSecret?: string }): Promise<void> {
    await this.call(session.getSession);
    expect((await this.call(session.signIn, { body: { username: user.username, password: user.password } })).status).toBe(200);
    const second = await this.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, Date.now()) } });
    expect(second.status).toBe(200);
  }
}

interface Ledger {
  users: Set<string>;
  appPasswords: Set<string>;
  deletedAppPasswords: Set<string>;
  /** Per method: the labels sent in order, and how many of them were acknowledged. */
  renames: Map<string, { sent: string[]; acknowledged: number }>;
  methods: Set<string>;
}

describe('a server killed during writes loses nothing it acknowledged (sqlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'secinfo-crash-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged write after kill -9 and a restart, and passes PRAGMA integrity_check', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      SECRET_KEY: randomBytes(32).toString('base64'),
      DEMO_DATA: 'off',
      NODE_ENV: 'development',
      LOG_LEVEL: 'silent',
    };
    const server = new ServerProcess(origin, env);
    await server.start();

    // An administrator turns app passwords on; four users sign in to change their security info.
    const anonymous = new HttpClient(origin);
    const created = async (isAdmin = false) =>
      (await anonymous.call(dev.createTestUser, { body: { withAuthenticator: true, isAdmin } })).body as {
        username: string;
        password: string;
        totpSecret: string;
      };
    const adminClient = new HttpClient(origin);
    await adminClient.signIn(await created(true));
    const policy = (await adminClient.call(admin.getOrgPolicy)).body as Record<string, unknown>;
    const allowed = await adminClient.call(admin.setOrgPolicy, { body: { ...policy, appPasswords: { allowed: true, maxPerUser: 100 } } });
    expect(allowed.status).toBe(200);
    const clients: HttpClient[] = [];
    for (let i = 0; i < 4; i += 1) {
      const client = new HttpClient(origin);
      await client.signIn(await created());
      clients.push(client);
    }

    const ledger: Ledger = {
      users: new Set(),
      appPasswords: new Set(),
      deletedAppPasswords: new Set(),
      renames: new Map(),
      methods: new Set(),
    };
    let stop = false;
    const swallow = <T>(p: Promise<T>) => p.catch(() => undefined);

    const registrations = async () => {
      while (!stop) {
        const res = await swallow(anonymous.call(dev.createTestUser, { body: {} }));
        if (res?.status === 200) ledger.users.add((res.body as { username: string }).username);
      }
    };
    const changes = async (client: HttpClient, n: number) => {
      for (let i = 0; !stop; i += 1) {
        const made = await swallow(client.call(appPasswords.createAppPassword, { body: { name: `mail ${n}.${i}` } }));
        const id = made?.status === 200 ? (made.body as { item: { id: string } }).item.id : undefined;
        if (id) ledger.appPasswords.add(id);
        if (id && i % 2) {
          const gone = await swallow(client.call(appPasswords.deleteAppPassword, { params: { appPasswordId: id } }));
          if (gone?.status === 200) ledger.deletedAppPasswords.add(id);
        }
        const info = await swallow(client.call(securityInfo.getSecurityInfo));
        const method = (info?.body as { methods?: Array<{ id: string }> } | undefined)?.methods?.[0];
        if (method) {
          const entry = ledger.renames.get(method.id) ?? { sent: [], acknowledged: 0 };
          ledger.renames.set(method.id, entry);
          const label = `renamed ${n}.${i}`;
          entry.sent.push(label);
          const renamed = await swallow(client.call(securityInfo.renameMethod, { params: { methodId: method.id }, body: { label } }));
          if (renamed?.status === 200) entry.acknowledged = entry.sent.length;
        }
        const setup = await swallow(client.call(authenticator.startAuthenticatorSetup, { body: {} }));
        if (setup?.status === 200) {
          const { setupId, secret } = setup.body as { setupId: string; secret: string };
          const confirm = await swallow(
            client.call(authenticator.confirmAuthenticatorSetup, {
              body: { setupId, code: totpCode(secret, Date.now()), label: `app ${n}.${i}` },
            }),
          );
          if (confirm?.status === 200) ledger.methods.add((confirm.body as { method: { id: string } }).method.id);
        }
      }
    };

    const workers = [registrations(), ...clients.map((c, n) => changes(c, n))];
    // Let writes pile up, then pull the plug while requests are in flight.
    await new Promise((r) => setTimeout(r, 2_000));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    const acknowledged = ledger.users.size + ledger.appPasswords.size + ledger.deletedAppPasswords.size + ledger.methods.size;
    expect(acknowledged).toBeGreaterThan(10);

    // The restarted server starts on the same file and serves.
    await server.start();
    expect((await fetch(`${origin}/api/health`)).status).toBe(200);
    await server.kill('SIGTERM');

    const db = new SQLite(join(dataDir, 'secinfo.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const has = (table: string, column: string, value: string) =>
        db.prepare(`select 1 from ${table} where ${column} = ?`).get(value) !== undefined;
      for (const username of ledger.users) expect(has('users', 'username', username), username).toBe(true);
      for (const id of ledger.appPasswords) {
        if (!ledger.deletedAppPasswords.has(id)) expect(has('app_passwords', 'id', id), id).toBe(true);
      }
      for (const id of ledger.deletedAppPasswords) expect(has('app_passwords', 'id', id), id).toBe(false);
      for (const id of ledger.methods) expect(has('methods', 'id', id), id).toBe(true);
      for (const [id, { sent, acknowledged: done }] of ledger.renames) {
        if (done === 0) continue;
        const row = db.prepare('select label from methods where id = ?').get(id) as { label: string } | undefined;
        // The last acknowledged name, or one sent after it that was in flight at the kill.
        expect(sent.slice(done - 1)).toContain(row?.label);
      }
    } finally {
      db.close();
    }
  }, 120_000);
});

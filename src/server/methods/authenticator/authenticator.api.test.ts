import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator, dev, securityInfo, session } from '../../../shared/api/index.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { createUser, errorCode, freshBrowser, signIn, stageOf } from '../../test-support/flows.ts';
import { startSecondInstance, startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { totpCode } from './totp.ts';

async function startSetup(browser: TestBrowser, replaceMethodId?: string) {
  const res = await browser.call(authenticator.startAuthenticatorSetup, { body: replaceMethodId ? { replaceMethodId } : {} });
  expect(res.status).toBe(200);
  return res.body as { setupId: string; secret: string; otpauthUri: string; accountName: string };
}

describe.each(testDatabases)('authenticator app (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('registers a first app during the interruption, then leaves it', async () => {
    const user = await createUser(t);
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    const setup = await startSetup(browser);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toContain(`secret=${setup.secret}`);
    expect(setup.otpauthUri).toContain('issuer=');

    const wrong = await browser.call(authenticator.confirmAuthenticatorSetup, {
      body: { setupId: setup.setupId, code: '000000', label: 'Phone' },
    });
    expect(errorCode(wrong.body)).toBe('invalid_code');
    expect((await browser.call(securityInfo.getSecurityInfo)).body).toMatchObject({ methods: [] });

    const ok = await browser.call(authenticator.confirmAuthenticatorSetup, {
      body: { setupId: setup.setupId, code: totpCode(setup.secret, t.clock.now()), label: 'My phone' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ method: { kind: 'authenticator', label: 'My phone', isDefault: true } });

    // The interruption still names its reason after the first method is added.
    expect((await browser.call(session.getSession)).body).toMatchObject({ state: { stage: 'registration', reason: 'mfa_required' } });
    const done = await browser.call(session.completeRegistration);
    expect(stageOf(done.body)).toBe('signed_in');

    // The user is told, and the change is in their log.
    const mail = await browser.call(dev.readOutbox, { query: { to: `${user.username}@example.test` } });
    expect(JSON.stringify(mail.body)).toContain('A sign-in method was added');
    const log = await browser.call(securityInfo.getActivity, { query: {} });
    expect(JSON.stringify(log.body)).toContain('security_info.method_added');
  });

  it('refuses a replayed code, also for sign-in', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    t.clock.advance(30);
    const code = totpCode(user.totpSecret!, t.clock.now());
    expect((await browser.call(session.verifyTotp, { body: { code } })).status).toBe(200);

    const other = await freshBrowser(t);
    await other.call(session.signIn, { body: { username: user.username, password: user.password } });
    const replay = await other.call(session.verifyTotp, { body: { code } });
    expect(replay.status).toBe(400);
    expect(errorCode(replay.body)).toBe('code_already_used');
  });

  it('accepts one step of drift and refuses two', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    t.clock.advance(120);
    const tooOld = totpCode(user.totpSecret!, t.clock.now() - 60_000);
    expect(errorCode((await browser.call(session.verifyTotp, { body: { code: tooOld } })).body)).toBe('invalid_code');
    const slightlyOld = totpCode(user.totpSecret!, t.clock.now() - 30_000);
    expect((await browser.call(session.verifyTotp, { body: { code: slightlyOld } })).status).toBe(200);
  });

  it('limits failed code attempts', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    const statuses: number[] = [];
    const good = totpCode(user.totpSecret!, t.clock.now());
    const bad = String((Number(good) + 500_000) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 6; i++) statuses.push((await browser.call(session.verifyTotp, { body: { code: bad } })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    const blocked = await browser.call(session.verifyTotp, { body: { code: good } });
    expect(blocked.status).toBe(429);
  });

  it('allows up to five apps, each named and removable; never the last one', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    for (let i = 2; i <= 5; i++) {
      const setup = await startSetup(browser);
      t.clock.advance(30);
      const res = await browser.call(authenticator.confirmAuthenticatorSetup, {
        body: { setupId: setup.setupId, code: totpCode(setup.secret, t.clock.now()), label: `App ${i}` },
      });
      expect(res.status).toBe(200);
    }
    const sixth = await browser.call(authenticator.startAuthenticatorSetup, { body: {} });
    expect(errorCode(sixth.body)).toBe('method_limit_reached');

    let info = (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;
    expect(info.methods.map((m) => m.label)).toEqual(['Authenticator app', 'App 2', 'App 3', 'App 4', 'App 5']);
    for (const m of info.methods.slice(1)) {
      expect((await browser.call(securityInfo.deleteMethod, { params: { methodId: m.id } })).status).toBe(200);
    }
    info = (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;
    const last = await browser.call(securityInfo.deleteMethod, { params: { methodId: info.methods[0]!.id } });
    expect(last.status).toBe(409);
    expect(errorCode(last.body)).toBe('method_last_usable');
  });

  it('reconfigures: the old secret works until the new one is verified', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const info = (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;
    const methodId = info.methods[0]!.id;
    const setup = await startSetup(browser, methodId);

    // Still the old app, before the new one is confirmed.
    const meanwhile = await freshBrowser(t);
    await meanwhile.call(session.signIn, { body: { username: user.username, password: user.password } });
    t.clock.advance(30);
    expect((await meanwhile.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } })).status).toBe(200);

    t.clock.advance(30);
    const confirmed = await browser.call(authenticator.confirmAuthenticatorSetup, {
      body: { setupId: setup.setupId, code: totpCode(setup.secret, t.clock.now()), label: 'New phone' },
    });
    expect(confirmed.body).toMatchObject({ method: { id: methodId, label: 'New phone' } });

    const after = await freshBrowser(t);
    await after.call(session.signIn, { body: { username: user.username, password: user.password } });
    t.clock.advance(30);
    expect(errorCode((await after.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } })).body)).toBe(
      'invalid_code',
    );
    t.clock.advance(30);
    expect((await after.call(session.verifyTotp, { body: { code: totpCode(setup.secret, t.clock.now()) } })).status).toBe(200);
  });

  it('asks for a fresh verification after the re-authentication window', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    t.clock.advance(11 * 60);
    const stale = await browser.call(authenticator.startAuthenticatorSetup, { body: {} });
    expect(stale.status).toBe(403);
    expect(errorCode(stale.body)).toBe('reauth_required');
    t.clock.advance(30);
    const again = await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } });
    expect(again.status).toBe(200);
    expect((await browser.call(authenticator.startAuthenticatorSetup, { body: {} })).status).toBe(200);
  });

  it('stores the secret encrypted, never in plain text', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const rows = await t.app.ctx.db.selectFrom('totp_secrets').select('secret_enc').execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.secret_enc).not.toContain(user.totpSecret!);
  });
});

describe.each(testDatabases)('authenticator app on two instances sharing one database (%s)', (kind) => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp(kind);
    second = await startSecondInstance(first, kind);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('refuses on one instance a code another instance already accepted', async () => {
    const user = await createUser(first, { withAuthenticator: true });
    const onFirst = await freshBrowser(first);
    await onFirst.call(session.signIn, { body: { username: user.username, password: user.password } });
    first.clock.advance(30);
    const code = totpCode(user.totpSecret!, first.clock.now());
    expect((await onFirst.call(session.verifyTotp, { body: { code } })).status).toBe(200);

    const onSecond = await freshBrowser(second);
    await onSecond.call(session.signIn, { body: { username: user.username, password: user.password } });
    const replay = await onSecond.call(session.verifyTotp, { body: { code } });
    expect(errorCode(replay.body)).toBe('code_already_used');
  });

  it('keeps a session started on one instance valid on the other', async () => {
    const user = await createUser(first, { withAuthenticator: true });
    const browser = await signIn(first, user);
    const cookie = browser.sessionCookie!;
    const res = await second.app.inject({ method: 'GET', url: '/api/security-info', headers: { cookie } });
    expect(res.statusCode).toBe(200);
  });
});

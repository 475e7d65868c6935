import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, appPasswords, dev, securityInfo } from '../../../shared/api/index.ts';
import { defaultOrgPolicy } from '../../../shared/policy.ts';
import { savePolicy } from '../../core/security-info/policy-store.ts';
import { createUser, errorCode, signIn } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe.each(testDatabases)('app passwords (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await savePolicy(t.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 3 } });
  });

  const legacy = (headers: Record<string, string>, ip = '198.51.100.20') =>
    t.app.inject({ method: 'GET', url: '/legacy/v1/whoami', headers, remoteAddress: ip });

  async function create(browser: TestBrowser, name: string) {
    const res = await browser.call(appPasswords.createAppPassword, { body: { name } });
    expect(res.status).toBe(200);
    return res.body as { item: { id: string }; password: string };
  }

  it('goes through the whole life cycle: create, use, list, delete', async () => {
    const user = await createUser(t, { withAuthenticator: true, firstName: 'Ola' });
    const browser = await signIn(t, user);
    const { item, password } = await create(browser, 'Outlook on my laptop');
    expect(password).toMatch(/^([a-z]{4} ){5}[a-z]{4}$/);

    // The value is stored nowhere: not in the table, not in the log, not in the mail queue or the outbox.
    await t.app.ctx.mail.flush();
    const dump =
      JSON.stringify(await t.app.ctx.db.selectFrom('app_passwords').selectAll().execute()) +
      JSON.stringify(await t.app.ctx.db.selectFrom('mail_queue').selectAll().execute()) +
      JSON.stringify(await t.app.ctx.db.selectFrom('verification_log').selectAll().execute()) +
      JSON.stringify(await t.app.ctx.db.selectFrom('outbox').selectAll().execute());
    expect(dump).not.toContain(password.replace(/ /g, ''));
    expect(dump).not.toContain(password);

    const ok = await legacy(basic(user.username, password));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ username: user.username, displayName: 'Ola' });
    // Typed without spaces and in capitals, as old clients may send it.
    expect((await legacy(basic(user.username.toUpperCase(), password.replace(/ /g, '').toUpperCase()))).statusCode).toBe(200);

    const list = await browser.call(appPasswords.listAppPasswords);
    expect(list.body).toMatchObject({
      allowed: true,
      max: 3,
      items: [{ id: item.id, name: 'Outlook on my laptop', lastUsedIp: '198.51.100.20' }],
    });
    expect(JSON.stringify(list.body)).not.toContain(password.slice(0, 4) + ' ');

    expect((await browser.call(appPasswords.deleteAppPassword, { params: { appPasswordId: item.id } })).status).toBe(200);
    const gone = await legacy(basic(user.username, password));
    expect(gone.statusCode).toBe(401);
    expect(gone.headers['www-authenticate']).toMatch(/^Basic realm=/);

    const mail = await browser.call(dev.readOutbox, { query: { to: `${user.username}@example.test` } });
    expect(JSON.stringify(mail.body)).toContain('An app password was created: Outlook on my laptop.');
    expect(JSON.stringify(mail.body)).toContain('An app password was deleted: Outlook on my laptop.');
    const log = JSON.stringify((await browser.call(securityInfo.getActivity, { query: {} })).body);
    for (const event of ['security_info.app_password_created', 'security_info.app_password_deleted', 'legacy_sign_in'])
      expect(log).toContain(event);
  });

  it('explains 0x800434D4L when an old client sends the account password', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const res = await legacy(basic(user.username, user.password));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'app_password_required', legacyCode: '0x800434D4L' } });
    const wrong = await legacy(basic(user.username, 'not-my-password'));
    expect(wrong.json()).toEqual({ error: { code: 'invalid_credentials' } });
  });

  it('answers a missing or malformed header with the Basic challenge', async () => {
    const missing = await legacy({});
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Basic /);
    for (const header of ['Basic', 'Basic %%%', 'Bearer x', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      const res = await legacy({ authorization: header });
      expect(res.statusCode, header).toBe(400);
      expect(res.json()).toEqual({ error: { code: 'invalid_input' } });
    }
  });

  it('limits guessing per account and IP, and tells the client when to retry', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const guess = 'aaaa bbbb cccc dddd eeee ffff';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await legacy(basic(user.username, guess), '203.0.113.99')).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await legacy(basic(user.username, guess), '203.0.113.99');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The same account from the user's own network still works.
    const browser = await signIn(t, user);
    const { password } = await create(browser, 'Phone mail');
    expect((await legacy(basic(user.username, password), '192.0.2.1')).statusCode).toBe(200);
  });

  it('stops at the policy limit', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    for (const name of ['one', 'two', 'three']) await create(browser, name);
    const fourth = await browser.call(appPasswords.createAppPassword, { body: { name: 'four' } });
    expect(fourth.status).toBe(409);
    expect(errorCode(fourth.body)).toBe('app_password_limit_reached');
  });

  it('deletes all of them at once (after losing a phone)', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const a = await create(browser, 'one');
    await create(browser, 'two');
    const res = await browser.call(appPasswords.deleteAllAppPasswords);
    expect(res.body).toMatchObject({ items: [] });
    expect((await legacy(basic(user.username, a.password))).statusCode).toBe(401);
  });

  it('needs a recent verification to create or delete', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    t.clock.advance(11 * 60);
    const res = await browser.call(appPasswords.createAppPassword, { body: { name: 'late' } });
    expect(errorCode(res.body)).toBe('reauth_required');
    expect(errorCode((await browser.call(appPasswords.deleteAllAppPasswords)).body)).toBe('reauth_required');
  });

  it('with the policy off: no creation, and the legacy endpoint refuses existing ones', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const { password } = await create(browser, 'before');
    await savePolicy(t.app.ctx, defaultOrgPolicy);
    const list = await browser.call(appPasswords.listAppPasswords);
    expect(list.body).toMatchObject({ allowed: false });
    expect(errorCode((await browser.call(appPasswords.createAppPassword, { body: { name: 'x' } })).body)).toBe('app_passwords_disabled');
    const res = await legacy(basic(user.username, password));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'app_passwords_disabled' } });
  });

  it('lets an administrator delete all app passwords of a user, and set the policy', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const { password } = await create(browser, 'one');

    const adminUser = await createUser(t, { withAuthenticator: true });
    await t.app.ctx.db.updateTable('users').set({ is_admin: 1 }).where('username', '=', adminUser.username).execute();
    const adminBrowser = await signIn(t, adminUser);
    // An ordinary user may do neither.
    expect((await browser.call(admin.adminDeleteAppPasswords, { params: { username: adminUser.username } })).status).toBe(403);
    expect((await browser.call(admin.getOrgPolicy)).status).toBe(403);

    const res = await adminBrowser.call(admin.adminDeleteAppPasswords, { params: { username: user.username } });
    expect(res.body).toEqual({ deleted: 1 });
    expect((await legacy(basic(user.username, password))).statusCode).toBe(401);

    const policy = await adminBrowser.call(admin.setOrgPolicy, {
      body: { ...defaultOrgPolicy, appPasswords: { allowed: false, maxPerUser: 40 } },
    });
    expect(policy.body).toMatchObject({ appPasswords: { allowed: false } });
    const bad = await adminBrowser.call(admin.setOrgPolicy, { body: { ...defaultOrgPolicy, codeLifetimeSeconds: 5 } });
    expect(bad.status).toBe(400);
  });
});

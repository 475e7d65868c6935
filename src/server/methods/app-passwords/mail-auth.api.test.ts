import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appPasswords } from '../../../shared/api/index.ts';
import { defaultOrgPolicy } from '../../../shared/policy.ts';
import { savePolicy } from '../../core/security-info/policy-store.ts';
import { createUser, signIn } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';

const SECRET = 'a-shared-secret-of-at-least-32-characters';
const NGINX = '127.0.0.1';

describe.each(testDatabases)('mail sign-in endpoints (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      env: {
        MAIL_AUTH_SECRET: SECRET,
        MAIL_AUTH_ALLOWED_IPS: '127.0.0.1, ::1, 10.20.0.0/16',
        MAIL_BACKEND_IMAP: '192.0.2.10:143',
        MAIL_BACKEND_SMTP: '[2001:db8::25]:587',
      },
    });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await savePolicy(t.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 3 } });
  });

  async function userWithAppPassword() {
    const user = await createUser(t, { withAuthenticator: true });
    const res = await (await signIn(t, user)).call(appPasswords.createAppPassword, { body: { name: 'Outlook' } });
    return { user, password: (res.body as { password: string }).password };
  }

  const nginxAsks = (headers: Record<string, string>, from = NGINX, secret = SECRET) =>
    t.app.inject({
      method: 'GET',
      url: '/legacy/v1/nginx-mail-auth',
      remoteAddress: from,
      headers: {
        'x-mail-auth-secret': secret,
        'auth-method': 'plain',
        'auth-protocol': 'imap',
        'auth-login-attempt': '1',
        'client-ip': '198.51.100.30',
        ...headers,
      },
    });
  const helperAsks = (body: Record<string, string>, from = NGINX, secret = SECRET) =>
    t.app.inject({
      method: 'POST',
      url: '/legacy/v1/mail-auth',
      remoteAddress: from,
      headers: { 'x-mail-auth-secret': secret },
      payload: body,
    });
  const authHeaders = (res: { headers: Record<string, unknown> }) =>
    Object.fromEntries(Object.entries(res.headers).filter(([name]) => name.startsWith('auth-')));

  it('answers nginx with the backend of the protocol and the canonical user name; nginx URL-encodes the password', async () => {
    const { user, password } = await userWithAppPassword();
    const imap = await nginxAsks({ 'auth-user': user.username.toUpperCase(), 'auth-pass': password.replace(/ /g, '%20') });
    expect(imap.statusCode).toBe(200);
    expect(authHeaders(imap)).toEqual({ 'auth-status': 'OK', 'auth-server': '192.0.2.10', 'auth-port': '143', 'auth-user': user.username });
    const smtp = await nginxAsks({ 'auth-user': user.username, 'auth-pass': password.replace(/ /g, ''), 'auth-protocol': 'smtp' });
    expect(authHeaders(smtp)).toMatchObject({ 'auth-status': 'OK', 'auth-server': '2001:db8::25', 'auth-port': '587' });

    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .select(['result', 'client_ip'])
      .where('username', '=', user.username)
      .where('event', '=', 'legacy_sign_in')
      .execute();
    expect(log).toEqual([
      { result: 'success', client_ip: '198.51.100.30' },
      { result: 'success', client_ip: '198.51.100.30' },
    ]);
  });

  it('tells nginx why it refuses, in a message the mail app shows and an SMTP code', async () => {
    const { user, password } = await userWithAppPassword();
    const account = await nginxAsks({ 'auth-user': user.username, 'auth-pass': encodeURIComponent(user.password) });
    expect(authHeaders(account)).toEqual({
      'auth-status': expect.stringContaining('use an app password, not your account password (0x800434D4L)'),
      'auth-error-code': '535 5.7.8',
    });
    const wrong = await nginxAsks({ 'auth-user': user.username, 'auth-pass': 'aaaa%20bbbb%20cccc%20dddd%20eeee%20ffff' });
    expect(authHeaders(wrong)).toEqual({ 'auth-status': 'Invalid user name or app password', 'auth-error-code': '535 5.7.8' });
    // No Auth-Wait on a plain refusal: nginx shows the error and closes the connection.

    await savePolicy(t.app.ctx, defaultOrgPolicy);
    const off = await nginxAsks({ 'auth-user': user.username, 'auth-pass': password.replace(/ /g, '') });
    expect(authHeaders(off)['auth-status']).toBe('App passwords are turned off by your organisation');

    const cram = await nginxAsks({ 'auth-user': user.username, 'auth-pass': '', 'auth-method': 'cram-md5' });
    expect(authHeaders(cram)).toEqual({ 'auth-status': expect.stringContaining('not supported'), 'auth-error-code': '504 5.5.4' });
    const pop3 = await nginxAsks({ 'auth-user': user.username, 'auth-pass': password, 'auth-protocol': 'pop3' });
    expect(authHeaders(pop3)['auth-status']).toBe('This mail service is not available here');
  });

  it('maps throttling to Auth-Wait, and stops asking nginx to wait after 10 attempts in one session', async () => {
    const { user } = await userWithAppPassword();
    const guess = { 'auth-user': user.username, 'auth-pass': 'aaaabbbbccccddddeeeeffff', 'client-ip': '198.51.100.31' };
    for (let i = 0; i < 10; i++) expect(authHeaders(await nginxAsks(guess))['auth-status']).toBe('Invalid user name or app password');
    const throttled = await nginxAsks(guess);
    expect(authHeaders(throttled)).toEqual({
      'auth-status': expect.stringMatching(/^Too many failed sign-ins, try again in \d+ seconds$/),
      'auth-error-code': '454 4.7.0',
      'auth-wait': expect.stringMatching(/^\d+$/),
    });
    expect(authHeaders(await nginxAsks({ ...guess, 'auth-login-attempt': '10' }))['auth-wait']).toBeUndefined();
    // The helper hears the same.
    const helper = await helperAsks({ username: user.username, password: 'aaaabbbbccccddddeeeeffff', clientIp: '198.51.100.31' });
    expect(helper.json()).toEqual({ result: 'denied', code: 'too_many_attempts', retryAfterSeconds: expect.any(Number) });
  });

  it('keeps its whole answer under the 1024 bytes nginx reads', async () => {
    const { user } = await userWithAppPassword();
    const res = await nginxAsks({ 'auth-user': user.username, 'auth-pass': encodeURIComponent(user.password) });
    const head = Object.entries(res.headers)
      .map(([name, value]) => `${name}: ${String(value)}\r\n`)
      .join('');
    expect(Buffer.byteLength(`HTTP/1.1 200 OK\r\n${head}\r\n${res.body}`)).toBeLessThan(1024);
  });

  it('answers the checkpassword helper with ok and the user name, or a refusal code', async () => {
    const { user, password } = await userWithAppPassword();
    expect((await helperAsks({ username: user.username.toUpperCase(), password, clientIp: '203.0.113.5' })).json()).toEqual({
      result: 'ok',
      username: user.username,
    });
    expect((await helperAsks({ username: user.username, password: user.password })).json()).toEqual({
      result: 'denied',
      code: 'app_password_required',
      legacyCode: '0x800434D4L',
    });
    expect((await helperAsks({ username: 'nobody-here', password: '' })).json()).toEqual({ result: 'denied', code: 'invalid_credentials' });
    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .select(['result', 'client_ip'])
      .where('username', '=', user.username)
      .where('event', '=', 'legacy_sign_in')
      .execute();
    expect(log).toContainEqual({ result: 'success', client_ip: '203.0.113.5' });
  });

  it('refuses callers without the secret or from elsewhere, before looking at the login', async () => {
    const { user, password } = await userWithAppPassword();
    const login = { 'auth-user': user.username, 'auth-pass': password.replace(/ /g, '') };
    for (const res of [
      await nginxAsks(login, NGINX, 'a-shared-secret-of-at-least-32-characterz'),
      await nginxAsks(login, NGINX, ''),
      await nginxAsks(login, '198.51.100.99'),
      await helperAsks({ username: user.username, password }, NGINX, 'wrong'),
      await helperAsks({ username: user.username, password }, '203.0.113.9'),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: { code: 'forbidden' } });
      expect(authHeaders(res)).toEqual({});
    }
    // A network in MAIL_AUTH_ALLOWED_IPS, and an IPv4 client seen on a dual-stack socket.
    expect(authHeaders(await nginxAsks(login, '10.20.3.4'))['auth-status']).toBe('OK');
    expect(authHeaders(await nginxAsks(login, '::ffff:127.0.0.1'))['auth-status']).toBe('OK');
    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .select('result')
      .where('username', '=', user.username)
      .where('event', '=', 'legacy_sign_in')
      .execute();
    expect(log).toHaveLength(2);
  });

  it('refuses what only nginx could get wrong (a bad Client-IP or protocol) with a 400', async () => {
    const bad: Array<Record<string, string>> = [{ 'client-ip': 'not-an-ip' }, { 'auth-protocol': 'gopher' }, { 'auth-login-attempt': 'x' }];
    for (const headers of bad) {
      const res = await nginxAsks({ 'auth-user': 'someone', 'auth-pass': 'x', ...headers });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });
});

describe('mail sign-in endpoints without MAIL_AUTH_SECRET', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });
  afterAll(async () => t.close());

  it('are off (404), even from loopback', async () => {
    const nginx = await t.app.inject({ method: 'GET', url: '/legacy/v1/nginx-mail-auth', headers: { 'x-mail-auth-secret': '' } });
    const helper = await t.app.inject({ method: 'POST', url: '/legacy/v1/mail-auth', payload: { username: 'a', password: 'b' } });
    for (const res of [nginx, helper]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found' } });
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session, securityInfo } from '../../../shared/api/index.ts';
import { totpCode } from '../../methods/authenticator/totp.ts';
import { errorCode, createUser, freshBrowser, signIn, stageOf } from '../../test-support/flows.ts';
import { TestBrowser } from '../../test-support/api-client.ts';
import { statementsDuring } from '../../test-support/statement-log.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';

describe.each(testDatabases)('sign-in (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('gives every visitor a session with a CSRF token and an HttpOnly cookie', async () => {
    const browser = await freshBrowser(t);
    const res = await browser.call(session.getSession);
    expect(stageOf(res.body)).toBe('anonymous');
    expect(browser.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const first = await new TestBrowser(t.app).call(session.getSession);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const user = await createUser(t);
    const browser = await freshBrowser(t);
    const wrong = await browser.call(session.signIn, { body: { username: user.username, password: 'nope' } });
    const unknown = await browser.call(session.signIn, { body: { username: 'nobody-here', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(errorCode(wrong.body)).toBe('invalid_credentials');
  });

  it('asks for the second factor, then signs in with a new session id', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await freshBrowser(t);
    const before = browser.csrfToken;
    const first = await browser.call(session.signIn, { body: { username: user.username.toUpperCase(), password: user.password } });
    expect(first.status).toBe(200);
    expect(stageOf(first.body)).toBe('second_factor');
    expect(browser.csrfToken).not.toBe(before);
    // Security info is not reachable with the password alone.
    expect((await browser.call(securityInfo.getSecurityInfo)).status).toBe(401);

    t.clock.advance(30);
    const second = await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } });
    expect(second.status).toBe(200);
    expect(stageOf(second.body)).toBe('signed_in');
    expect((await browser.call(securityInfo.getSecurityInfo)).status).toBe(200);
  });

  it('makes the session id planted before sign-in useless after it', async () => {
    const user = await createUser(t);
    const browser = await freshBrowser(t);
    const planted = browser.sessionCookie!;
    await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    const attacker = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: planted } });
    expect(stageOf(attacker.json())).toBe('anonymous');
  });

  it('interrupts a user with nothing registered, naming the reason', async () => {
    const user = await createUser(t);
    const browser = await freshBrowser(t);
    const res = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(res.body).toMatchObject({ state: { stage: 'registration', reason: 'mfa_required' } });
    const done = await browser.call(session.completeRegistration);
    expect(errorCode(done.body)).toBe('registration_incomplete');
  });

  it('throttles repeated failures per account and IP, without locking the account out elsewhere', async () => {
    const user = await createUser(t);
    const attacker = await freshBrowser(t, '198.51.100.7');
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) {
      codes.push((await attacker.call(session.signIn, { body: { username: user.username, password: `guess-${i}` } })).status);
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const throttled = await attacker.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ error: { code: 'too_many_attempts' } });
    expect((throttled.body as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds).toBeGreaterThan(0);
    expect(throttled.headers['retry-after']).toBeDefined();

    // The real user, from their own network, is not held up.
    const victim = await signIn(t, user, '192.0.2.44');
    expect(stageOf((await victim.call(session.getSession)).body)).toBe('registration');

    // And the attacker may try again once the wait is over.
    t.clock.advance(60);
    const later = await attacker.call(session.signIn, { body: { username: user.username, password: 'again' } });
    expect(later.status).toBe(401);
  });

  it('locks the password step after 100 consecutive failures for the account from many IPs', async () => {
    const user = await createUser(t);
    let last = 0;
    for (let i = 0; i < 100; i++) {
      // A fresh IP each time, and enough time for every back-off to pass.
      t.clock.advance(16 * 60);
      const b = await freshBrowser(t, `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`);
      last = (await b.call(session.signIn, { body: { username: user.username, password: `guess-${i}` } })).status;
      expect(last).toBe(401);
    }
    t.clock.advance(60 * 60);
    const b = await freshBrowser(t, '10.9.9.9');
    const locked = await b.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(locked.status).toBe(429);
    t.clock.advance(24 * 60 * 60);
    const after = await (
      await freshBrowser(t, '10.9.9.9')
    ).call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(after.status).toBe(200);
  }, 60_000);

  it('keeps the language of a full Accept-Language header for messages to the user', async () => {
    const user = await createUser(t);
    const browser = await freshBrowser(t);
    const res = await browser.call(
      session.signIn,
      { body: { username: user.username, password: user.password } },
      { 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.8' },
    );
    expect(res.status).toBe(200);
    const row = await t.app.ctx.db.selectFrom('users').select('language').where('username', '=', user.username).executeTakeFirstOrThrow();
    expect(row.language).toBe('pl');
  });

  it('reads each thing once and writes only what changed: nine statements for a password sign-in', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    // The first sign-in stores the user's language; the one measured has nothing new to store.
    await signIn(t, user);
    const browser = await freshBrowser(t);
    let status = 0;
    const statements = await statementsDuring(t, async () => {
      status = (await browser.call(session.signIn, { body: { username: user.username, password: user.password } })).status;
    });
    expect(status).toBe(200);
    expect(statements).toEqual([
      'select sessions',
      // Both back-off counters in one query; with none, nothing to clear after the right password.
      'select throttle_counters',
      'select rate_events',
      'select users',
      'insert verification_log',
      'select org_policy',
      'select methods',
      // The session takes its new id in place.
      'update sessions',
      // Whether the second step may offer a recovery code.
      'select recovery_codes',
    ]);
  });

  it('clears the failures a correct password follows, so they do not add up across sign-ins', async () => {
    const user = await createUser(t);
    const attempt = async (password: string) =>
      (await (await freshBrowser(t, '203.0.113.9')).call(session.signIn, { body: { username: user.username, password } })).status;
    for (let i = 0; i < 4; i++) expect(await attempt(`wrong-${i}`)).toBe(401);
    expect(await attempt(user.password)).toBe(200);
    // Four more: without the clearing these would make eight, past the five allowed before a wait.
    for (let i = 0; i < 4; i++) expect(await attempt(`wrong-again-${i}`)).toBe(401);
    expect(await attempt(user.password)).toBe(200);
    const left = await t.app.ctx.db
      .selectFrom('throttle_counters')
      .select('key')
      .where('key', 'like', `pw:acct%${user.username}%`)
      .execute();
    expect(left).toEqual([]);
  });

  it('signs out and forgets the session', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    expect((await browser.call(session.signOut)).status).toBe(200);
    expect(stageOf((await browser.call(session.getSession)).body)).toBe('anonymous');
  });
});

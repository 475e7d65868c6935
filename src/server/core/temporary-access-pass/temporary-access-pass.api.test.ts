import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { session, temporaryAccessPass as api } from '../../../shared/api/index.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { defaultOrgPolicy, orgPolicySchema } from '../../../shared/policy.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { addPhone, createUser, errorCode, freshBrowser, signIn, stageOf, type TestUser } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { savePolicy } from '../security-info/policy-store.ts';
import { PASS_ALPHABET } from './service.ts';

type PolicyInput = Parameters<typeof orgPolicySchema.parse>[0];
type Issued = { pass: string; createdAt: string; startsAt: string; expiresAt: string; oneTime: boolean };

describe.each(testDatabases)('temporary access passes (%s)', (kind) => {
  let t: TestApp;
  let adminUser: TestUser;
  beforeAll(async () => {
    t = await startTestApp(kind);
    adminUser = await createUser(t, { withAuthenticator: true, isAdmin: true });
  });
  afterAll(async () => t.close());
  beforeEach(async () => savePolicy(t.app.ctx, defaultOrgPolicy));

  const setPolicy = (policy: PolicyInput) => savePolicy(t.app.ctx, orgPolicySchema.parse(policy));

  /** An administrator, freshly verified, issues a pass for the user. */
  async function issue(user: TestUser, body: { lifetimeMinutes?: number; oneTime?: boolean; startsAt?: string } = {}) {
    const adminBrowser = await signIn(t, adminUser);
    return adminBrowser.call(api.issueTemporaryAccessPass, { params: { username: user.username }, body });
  }
  async function issued(user: TestUser, body: Parameters<typeof issue>[1] = {}): Promise<Issued> {
    const res = await issue(user, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Issued;
  }

  /** The password step, stopping at the second step. */
  async function atSecondStep(user: TestUser, ip?: string): Promise<TestBrowser> {
    const browser = await freshBrowser(t, ip);
    const res = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(stageOf(res.body)).toBe('second_factor');
    return browser;
  }

  const usePass = (browser: TestBrowser, pass: string) => browser.call(api.verifyTemporaryAccessPass, { body: { pass } });

  async function logOf(user: TestUser) {
    return t.app.ctx.db
      .selectFrom('verification_log')
      .select(['event', 'auth_mode', 'result', 'denial_reason'])
      .where('username', '=', user.username)
      .where('auth_mode', '=', 'temporary_access_pass')
      .orderBy('at', 'asc')
      .execute();
  }

  it('issues a pass shown once, stores only a keyed hash, e-mails the user, and signs them in with it once', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const body = await issued(user);
    expect(body.pass).toHaveLength(16);
    expect([...body.pass].every((c) => PASS_ALPHABET.includes(c))).toBe(true);
    expect(body.oneTime).toBe(true);
    expect(Date.parse(body.expiresAt) - Date.parse(body.startsAt)).toBe(60 * 60_000);

    const row = await t.app.ctx.db
      .selectFrom('temporary_access_passes')
      .innerJoin('users', 'users.id', 'temporary_access_passes.user_id')
      .select(['pass_hash', 'starts_at', 'expires_at'])
      .where('users.username', '=', user.username)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(body.pass);
    const adminBrowser = await signIn(t, adminUser);
    const read = await adminBrowser.call(api.getTemporaryAccessPass, { params: { username: user.username } });
    expect(read.body).toEqual({ active: { createdAt: body.createdAt, startsAt: body.startsAt, expiresAt: body.expiresAt, oneTime: true } });
    await t.app.ctx.mail.flush();
    const mail = await t.app.ctx.db.selectFrom('outbox').selectAll().where('recipient', '=', `${user.username}@example.test`).execute();
    expect(mail.some((m) => m.body.includes('temporary access pass'))).toBe(true);
    expect(mail.every((m) => !m.body.includes(body.pass))).toBe(true);

    const browser = await atSecondStep(user);
    expect((await browser.call(session.getSession)).body).toMatchObject({ state: { temporaryAccessPass: 'offered' } });
    // Typed in lower case, in groups: still the pass.
    const typed = `${body.pass.slice(0, 4)} ${body.pass.slice(4)}`.toLowerCase();
    expect(stageOf((await usePass(browser, typed)).body)).toBe('signed_in');
    // One-time: gone.
    const again = await atSecondStep(user);
    expect(errorCode((await usePass(again, body.pass)).body)).toBe('temporary_access_pass_invalid');
    expect((await adminBrowser.call(api.getTemporaryAccessPass, { params: { username: user.username } })).body).toEqual({ active: null });

    // The clock stands still in this test, so the records share one instant: compared as a set.
    const log = await logOf(user);
    expect(log).toHaveLength(3);
    expect(log).toEqual(
      expect.arrayContaining([
        { event: 'admin.temporary_access_pass_issued', auth_mode: 'temporary_access_pass', result: 'success', denial_reason: null },
        { event: 'sign_in.second_factor', auth_mode: 'temporary_access_pass', result: 'success', denial_reason: null },
        {
          event: 'sign_in.second_factor',
          auth_mode: 'temporary_access_pass',
          result: 'denied',
          denial_reason: 'temporary_access_pass_invalid',
        },
      ]),
    );
  });

  it('takes its length, lifetime and one-time default from the policy', async () => {
    await setPolicy({ temporaryAccessPass: { length: 8, defaultLifetimeMinutes: 20, oneTimeByDefault: false } });
    const user = await createUser(t);
    const body = await issued(user);
    expect(body.pass).toHaveLength(8);
    expect(body.oneTime).toBe(false);
    expect(Date.parse(body.expiresAt) - Date.parse(body.startsAt)).toBe(20 * 60_000);
  });

  it('refuses lifetimes outside 10 minutes to 30 days', async () => {
    const user = await createUser(t);
    expect((await issue(user, { lifetimeMinutes: 9 })).status).toBe(400);
    expect((await issue(user, { lifetimeMinutes: 43_201 })).status).toBe(400);
  });

  it('stops working when it expires', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { pass } = await issued(user, { lifetimeMinutes: 10 });
    t.clock.advance(10 * 60 + 1);
    const browser = await atSecondStep(user);
    expect(errorCode((await usePass(browser, pass)).body)).toBe('temporary_access_pass_invalid');
  });

  it('does not work before its start time, then does', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const startsAt = new Date(t.clock.now() + 60 * 60_000).toISOString();
    const { pass } = await issued(user, { startsAt, lifetimeMinutes: 30 });
    const early = await atSecondStep(user);
    expect(errorCode((await usePass(early, pass)).body)).toBe('temporary_access_pass_invalid');
    t.clock.advance(60 * 60);
    const onTime = await atSecondStep(user);
    expect(stageOf((await usePass(onTime, pass)).body)).toBe('signed_in');
  });

  it('a reusable pass works again within its lifetime', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { pass } = await issued(user, { oneTime: false });
    expect(stageOf((await usePass(await atSecondStep(user), pass)).body)).toBe('signed_in');
    expect(stageOf((await usePass(await atSecondStep(user), pass)).body)).toBe('signed_in');
  });

  it('a new pass replaces the old one; a revoked pass stops working', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const first = await issued(user, { oneTime: false });
    const second = await issued(user, { oneTime: false });
    expect(errorCode((await usePass(await atSecondStep(user), first.pass)).body)).toBe('temporary_access_pass_invalid');
    expect(stageOf((await usePass(await atSecondStep(user), second.pass)).body)).toBe('signed_in');
    const rows = await t.app.ctx.db
      .selectFrom('temporary_access_passes')
      .innerJoin('users', 'users.id', 'temporary_access_passes.user_id')
      .select('user_id')
      .where('users.username', '=', user.username)
      .execute();
    expect(rows).toHaveLength(1);

    const adminBrowser = await signIn(t, adminUser);
    const revoked = await adminBrowser.call(api.revokeTemporaryAccessPass, { params: { username: user.username } });
    expect(revoked.body).toEqual({ ok: true });
    expect(errorCode((await usePass(await atSecondStep(user), second.pass)).body)).toBe('temporary_access_pass_invalid');
    expect((await logOf(user)).map((e) => e.event)).toContain('admin.temporary_access_pass_revoked');
  });

  it('answers every bad pass with the same neutral error', async () => {
    const answers: unknown[] = [];
    const answer = async (user: TestUser, pass: string) => {
      const res = await usePass(await atSecondStep(user), pass);
      answers.push([res.status, errorCode(res.body)]);
    };
    // Each case its own user, so no throttle mixes in.
    const none = await createUser(t, { withAuthenticator: true });
    await answer(none, 'ABCDEFGHJKMNPQRS');
    const wrong = await createUser(t, { withAuthenticator: true });
    await issued(wrong);
    await answer(wrong, 'ABCDEFGHJKMNPQRS');
    const used = await createUser(t, { withAuthenticator: true });
    const usedPass = (await issued(used)).pass;
    await usePass(await atSecondStep(used), usedPass);
    await answer(used, usedPass);
    const early = await createUser(t, { withAuthenticator: true });
    await answer(early, (await issued(early, { startsAt: new Date(t.clock.now() + 3_600_000).toISOString() })).pass);
    const expired = await createUser(t, { withAuthenticator: true });
    const expiredPass = (await issued(expired, { lifetimeMinutes: 10 })).pass;
    t.clock.advance(11 * 60);
    await answer(expired, expiredPass);
    expect(answers).toEqual(Array(5).fill([400, 'temporary_access_pass_invalid']));
  });

  it('throttles wrong passes like codes: after five, even the right one waits', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { pass } = await issued(user, { oneTime: false });
    const browser = await atSecondStep(user);
    for (let i = 0; i < 5; i++) expect(errorCode((await usePass(browser, 'WRONGPASS')).body)).toBe('temporary_access_pass_invalid');
    expect((await usePass(browser, 'WRONGPASS')).status).toBe(429);
    expect(errorCode((await usePass(browser, pass)).body)).toBe('too_many_attempts');
    t.clock.advance(60);
    expect(stageOf((await usePass(browser, pass)).body)).toBe('signed_in');
  });

  it('two concurrent uses of a one-time pass: exactly one gets in', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { pass } = await issued(user);
    const [a, b] = [await atSecondStep(user, '198.51.100.1'), await atSecondStep(user, '198.51.100.2')];
    const results = await Promise.all([usePass(a, pass), usePass(b, pass)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('is the only way in when no usable method is left, and leads straight into registration', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    // Issued first: the administrator here signs in with an authenticator app too.
    const { pass } = await issued(user);
    await setPolicy({ enabledMethods: { authenticator: false } });
    const browser = await atSecondStep(user);
    expect((await browser.call(session.getSession)).body).toMatchObject({ state: { temporaryAccessPass: 'required' } });
    const res = await usePass(browser, pass);
    expect((res.body as SessionInfo).state).toMatchObject({ stage: 'registration', reason: 'no_usable_method' });
    // The pass counts as a fresh verification: a new method can be registered, then Done.
    await addPhone(t, browser);
    expect(stageOf((await browser.call(session.completeRegistration)).body)).toBe('signed_in');
  });

  it('with the policy off: no issue, no use', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { pass } = await issued(user);
    await setPolicy({ temporaryAccessPass: { enabled: false } });
    expect(errorCode((await issue(user)).body)).toBe('temporary_access_passes_disabled');
    const browser = await atSecondStep(user);
    expect((await browser.call(session.getSession)).body).toMatchObject({ state: { temporaryAccessPass: null } });
    expect(errorCode((await usePass(browser, pass)).body)).toBe('temporary_access_passes_disabled');
  });

  it('the admin endpoints: 401 signed out, 403 for a non-administrator, 404 for an unknown user', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const params = { username: user.username };
    const anonymous = await freshBrowser(t);
    const plain = await signIn(t, user);
    for (const browser of [anonymous, plain]) {
      const expected = browser === anonymous ? 401 : 403;
      expect((await browser.call(api.issueTemporaryAccessPass, { params, body: {} })).status).toBe(expected);
      expect((await browser.call(api.getTemporaryAccessPass, { params })).status).toBe(expected);
      expect((await browser.call(api.revokeTemporaryAccessPass, { params })).status).toBe(expected);
    }
    const adminBrowser = await signIn(t, adminUser);
    expect((await adminBrowser.call(api.issueTemporaryAccessPass, { params: { username: 'nobody-here' }, body: {} })).status).toBe(404);
    // Typing a pass needs at least the password step.
    expect((await anonymous.call(api.verifyTemporaryAccessPass, { body: { pass: 'ABCDEFGH' } })).status).toBe(401);
  });
});

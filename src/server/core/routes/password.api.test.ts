import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUsers, dev, passwordChange, passwordReset, securityInfo, session } from '../../../shared/api/index.ts';
import type { PasswordStatus } from '../../../shared/api/security-info.ts';
import { defaultOrgPolicy, orgPolicySchema } from '../../../shared/policy.ts';
import { totpCode } from '../../methods/authenticator/totp.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { createUser, errorCode, freshBrowser, signIn, stageOf, type TestUser } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { recordPasswordFailure } from '../auth/password-throttle.ts';
import { savePolicy } from '../security-info/policy-store.ts';

const NEW_PASSWORD = 'Mountain-Pencil-Lake-72';

describe.each(testDatabases)('changing the password (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  let nextIp = 0;
  /** An address of its own per test, so the sign-in throttle of one test never answers for another. */
  const newIp = () => `198.51.${kind === 'sqlite' ? 110 : 111}.${(nextIp += 1) % 250}`;

  async function change(browser: TestBrowser, currentPassword: string, newPassword: string) {
    const res = await browser.call(passwordChange.changePassword, { body: { currentPassword, newPassword } });
    // The session went on under a new id and CSRF token, as the page takes it from the answer.
    if (res.status === 200) browser.csrfToken = (res.body as { session: { csrfToken: string } }).session.csrfToken;
    return res;
  }

  async function signInStage(user: TestUser, pw: string, ip: string): Promise<{ status: number; browser: TestBrowser; stage?: string }> {
    const browser = await freshBrowser(t, ip);
    const res = await browser.call(session.signIn, { body: { username: user.username, password: pw } });
    if (res.status !== 200 || stageOf(res.body) !== 'second_factor' || !user.totpSecret)
      return { status: res.status, browser, stage: stageOf(res.body) };
    t.clock.advance(30);
    const second = await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret, t.clock.now()) } });
    return { status: second.status, browser, stage: stageOf(second.body) };
  }

  const logOf = (username: string, event: string) =>
    t.app.ctx.db.selectFrom('verification_log').selectAll().where('username', '=', username).where('event', '=', event).execute();
  const mailTo = (username: string) =>
    t.app.ctx.db.selectFrom('mail_queue').select('body').where('recipient', '=', `${username}@example.test`).execute();

  it('changes it: every other session ends and this one stays, the throttles are cleared, the log and the e-mail say so', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const ip = newIp();
    const older = await signIn(t, user, ip);
    const current = await signIn(t, user, ip);
    await recordPasswordFailure(t.app.ctx, user.username, '192.0.2.7');
    const before = (await current.call(securityInfo.getPassword)).body as PasswordStatus;
    expect(before).toMatchObject({ minLength: 12, changeRequired: false });
    expect(before.personalWords).toContain(user.username);

    t.clock.advance(60);
    const res = await change(current, user.password, NEW_PASSWORD);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as { session: unknown; password: PasswordStatus };
    expect(stageOf(body.session)).toBe('signed_in');
    expect(Date.parse(body.password.changedAt)).toBeGreaterThan(Date.parse(before.changedAt));

    // This session goes on (under its new id); the older one is signed out.
    expect((await current.call(securityInfo.getSecurityInfo)).status).toBe(200);
    expect((await older.call(securityInfo.getSecurityInfo)).status).toBe(401);
    expect(((await current.call(securityInfo.getPassword)).body as PasswordStatus).changedAt).toBe(body.password.changedAt);

    const throttles = await t.app.ctx.db
      .selectFrom('throttle_counters')
      .select('key')
      .where('key', 'like', `pw:%${user.username}%`)
      .execute();
    expect(throttles).toEqual([]);
    expect((await signInStage(user, user.password, newIp())).status).toBe(401);
    expect(await signInStage(user, NEW_PASSWORD, newIp())).toMatchObject({ status: 200, stage: 'signed_in' });
    expect((await logOf(user.username, 'password_change')).map((r) => [r.auth_mode, r.result])).toEqual([['password', 'success']]);
    expect((await mailTo(user.username)).some((m) => m.body.includes('Your password was changed'))).toBe(true);
  });

  it('refuses a wrong current password, and counts it toward the sign-in throttle', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const ip = newIp();
    const browser = await signIn(t, user, ip);
    for (let i = 0; i < 5; i += 1) {
      const res = await change(browser, 'not-the-password', NEW_PASSWORD);
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe('current_password_incorrect');
    }
    // Five failures from this address: the back-off now holds the change and the sign-in alike.
    const held = await change(browser, user.password, NEW_PASSWORD);
    expect(held.status).toBe(429);
    expect(errorCode(held.body)).toBe('too_many_attempts');
    const signInHeld = await (
      await freshBrowser(t, ip)
    ).call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(errorCode(signInHeld.body)).toBe('too_many_attempts');
    const denied = await logOf(user.username, 'password_change');
    expect(denied.map((r) => [r.result, r.denial_reason])).toEqual(Array.from({ length: 5 }, () => ['denied', 'invalid_credentials']));

    // Once the back-off (a second after five failures) has passed, the right one changes it.
    t.clock.advance(5);
    expect((await change(browser, user.password, NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses short, common, weak and unchanged passwords', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user, newIp());
    const attempt = async (newPassword: string) => (await change(browser, user.password, newPassword)).body;
    expect(await attempt('Sh0rt-pass')).toEqual({ error: { code: 'password_too_short', minLength: 12 } });
    expect(await attempt('password1234')).toEqual({ error: { code: 'password_common' } });
    expect(errorCode(await attempt('Barbara12345'))).toBe('password_weak');
    expect(errorCode(await attempt(`${user.username}${user.username}`))).toBe('password_weak');
    expect(await attempt(user.password)).toEqual({ error: { code: 'password_same_as_current' } });
    // Nothing changed: the old password still signs in.
    expect((await signInStage(user, user.password, newIp())).status).toBe(200);
  });

  it('needs a recent second-step verification', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user, newIp());
    await browser.call(dev.ageVerification, { body: { seconds: 3600 } });
    const res = await change(browser, user.password, NEW_PASSWORD);
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('reauth_required');
    t.clock.advance(30);
    expect((await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } })).status).toBe(200);
    expect((await change(browser, user.password, NEW_PASSWORD)).status).toBe(200);
  });

  describe('required by an administrator', () => {
    let admin: TestBrowser;
    beforeAll(async () => {
      admin = await signIn(t, await createUser(t, { withAuthenticator: true, isAdmin: true }), newIp());
    });
    const requireChange = (username: string) => admin.call(adminUsers.requirePasswordChange, { params: { username } });

    it('interrupts the next sign-in after the second step until the password is changed, then lets the user in', async () => {
      const user = await createUser(t, { withAuthenticator: true });
      const already = await signIn(t, user, newIp());
      const res = await requireChange(user.username);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const detail = (await admin.call(adminUsers.getAdminUser, { params: { username: user.username } })).body as {
        user: { passwordChangeRequiredSince: string | null };
      };
      expect(detail.user.passwordChangeRequiredSince).not.toBeNull();
      expect((await logOf(user.username, 'admin.password_change_required')).length).toBeGreaterThan(0);
      expect((await mailTo(user.username)).some((m) => m.body.includes('change your password at your next sign-in'))).toBe(true);
      // A session already signed in goes on: the requirement is for the next sign-in.
      expect((await already.call(securityInfo.getSecurityInfo)).status).toBe(200);

      const { browser, stage } = await signInStage(user, user.password, newIp());
      expect(stage).toBe('password_change');
      // Nothing else is reachable meanwhile.
      expect((await browser.call(securityInfo.getSecurityInfo)).status).toBe(401);
      expect(((await browser.call(securityInfo.getPassword)).body as PasswordStatus).changeRequired).toBe(true);

      const changed = await change(browser, user.password, NEW_PASSWORD);
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(stageOf((changed.body as { session: unknown }).session)).toBe('signed_in');
      expect((await browser.call(securityInfo.getSecurityInfo)).status).toBe(200);
      expect(((await browser.call(securityInfo.getPassword)).body as PasswordStatus).changeRequired).toBe(false);
      // The session signed in before the change ends with it.
      expect((await already.call(securityInfo.getSecurityInfo)).status).toBe(401);
      expect(await signInStage({ ...user, password: NEW_PASSWORD }, NEW_PASSWORD, newIp())).toMatchObject({
        status: 200,
        stage: 'signed_in',
      });
    });

    it('lets the interrupted user verify again when the change comes after the re-verification window', async () => {
      const user = await createUser(t, { withAuthenticator: true });
      expect((await requireChange(user.username)).status).toBe(200);
      const { browser, stage } = await signInStage(user, user.password, newIp());
      expect(stage).toBe('password_change');
      // The interruption offers the user's methods for it.
      const info = (await browser.call(session.getSession)).body as { state: { options?: unknown[] } };
      expect(info.state.options).toHaveLength(1);
      await browser.call(dev.ageVerification, { body: { seconds: 3600 } });
      expect(errorCode((await change(browser, user.password, NEW_PASSWORD)).body)).toBe('reauth_required');
      t.clock.advance(30);
      const again = await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } });
      expect(stageOf(again.body)).toBe('password_change');
      const changed = await change(browser, user.password, NEW_PASSWORD);
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(stageOf((changed.body as { session: unknown }).session)).toBe('signed_in');
    });

    it('comes before registering security info, which follows the change', async () => {
      const user = await createUser(t);
      expect((await requireChange(user.username)).status).toBe(200);
      const { browser, stage } = await signInStage(user, user.password, newIp());
      expect(stage).toBe('password_change');
      const changed = await change(browser, user.password, NEW_PASSWORD);
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(stageOf((changed.body as { session: unknown }).session)).toBe('registration');
    });

    it('is met by a password reset too', async () => {
      await savePolicy(t.app.ctx, orgPolicySchema.parse({ ...defaultOrgPolicy, passwordReset: { enabled: true, methodsRequired: 1 } }));
      try {
        const user = await createUser(t, { withAuthenticator: true });
        expect((await requireChange(user.username)).status).toBe(200);
        const browser = await freshBrowser(t, newIp());
        expect((await browser.call(passwordReset.startPasswordReset, { body: { username: user.username } })).status).toBe(200);
        await browser.call(session.getSession);
        t.clock.advance(30);
        expect((await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } })).status).toBe(200);
        expect((await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } })).status).toBe(200);
        expect(await signInStage(user, NEW_PASSWORD, newIp())).toMatchObject({ status: 200, stage: 'signed_in' });
      } finally {
        await savePolicy(t.app.ctx, orgPolicySchema.parse(defaultOrgPolicy));
      }
    });

    it('is for administrators only', async () => {
      const user = await createUser(t, { withAuthenticator: true });
      const other = await signIn(t, await createUser(t, { withAuthenticator: true }), newIp());
      expect((await other.call(adminUsers.requirePasswordChange, { params: { username: user.username } })).status).toBe(403);
    });
  });
});

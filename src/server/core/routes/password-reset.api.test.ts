import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  hardwareToken,
  passwordReset,
  phone,
  recoveryCodes,
  securityInfo,
  session,
  temporaryAccessPass,
  webauthn,
} from '../../../shared/api/index.ts';
import type { PasswordResetState } from '../../../shared/api/password-reset.ts';
import { defaultOrgPolicy, orgPolicySchema, type OrgPolicy } from '../../../shared/policy.ts';
import { totpCode } from '../../methods/authenticator/totp.ts';
import { otpAt } from '../../methods/hardware-token/otp.ts';
import { SoftAuthenticator } from '../../methods/webauthn/test-support/soft-authenticator.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { addPhone, createUser, errorCode, freshBrowser, lastPhoneCode, signIn, stageOf, type TestUser } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { savePolicy } from '../security-info/policy-store.ts';
import { RESET_FLOW_SECONDS } from '../auth/password-reset/flow-store.ts';
import { recordPasswordFailure } from '../auth/password-throttle.ts';

const NEW_PASSWORD = 'Mountain-Pencil-Lake-72';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe.each(testDatabases)('self-service password reset (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  const setPolicy = (patch: Partial<OrgPolicy>) => savePolicy(t.app.ctx, orgPolicySchema.parse({ ...defaultOrgPolicy, ...patch }));
  const resetOn = (methodsRequired: 1 | 2) => setPolicy({ passwordReset: { enabled: true, methodsRequired } });
  beforeEach(async () => resetOn(1));

  let nextIp = 0;
  /** A browser of its own address, so the per-address limit of starts never answers for another test. */
  const newBrowser = () => freshBrowser(t, `198.51.${kind === 'sqlite' ? 100 : 101}.${(nextIp += 1) % 250}`);

  async function start(browser: TestBrowser, username: string) {
    const res = await browser.call(passwordReset.startPasswordReset, { body: { username } });
    // The session moved on under a new id and CSRF token, as the page reads it next.
    await browser.call(session.getSession);
    return { status: res.status, body: res.body as PasswordResetState };
  }

  async function proveWithApp(browser: TestBrowser, user: TestUser) {
    t.clock.advance(30);
    return browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } });
  }

  async function proveWithPhone(browser: TestBrowser, methodId: string, e164: string, delivery: 'sms' | 'voice' = 'sms') {
    // A later message than the one that registered the phone, so "the newest message" is this one.
    t.clock.advance(1);
    const sent = await browser.call(phone.sendSignInCode, { body: { methodId, delivery } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const { challengeId } = sent.body as { challengeId: string };
    return browser.call(phone.verifySignInCode, { body: { challengeId, code: await lastPhoneCode(t, e164) } });
  }

  /** A user with an authenticator app and a mobile phone. */
  async function userWithAppAndPhone() {
    const user = await createUser(t, { withAuthenticator: true });
    const signedIn = await signIn(t, user);
    const phoneMethod = await addPhone(t, signedIn);
    return { user, signedIn, phoneMethod };
  }

  async function canSignIn(user: TestUser, password: string): Promise<number> {
    const browser = await newBrowser();
    return (await browser.call(session.signIn, { body: { username: user.username, password } })).status;
  }

  it('resets with an authenticator app: every session ends, throttles are cleared, the log and the e-mail say so', async () => {
    const { user, signedIn } = await userWithAppAndPhone();
    await recordPasswordFailure(t.app.ctx, user.username, '192.0.2.1');
    const browser = await newBrowser();
    const started = await start(browser, user.username);
    expect(started.body).toMatchObject({ step: 'prove', methodsRequired: 1, provedMethodIds: [] });
    expect((started.body as { options: unknown[] }).options).toHaveLength(2);
    // Nothing about the user reaches the session before a method proved them.
    expect(stageOf((await browser.call(session.getSession)).body)).toBe('anonymous');

    const proved = await proveWithApp(browser, user);
    expect(proved.status, JSON.stringify(proved.body)).toBe(200);
    expect(stageOf(proved.body)).toBe('anonymous');
    const state = (await browser.call(passwordReset.getPasswordReset)).body as PasswordResetState;
    expect(state).toMatchObject({ step: 'choose_password', minLength: 12 });
    expect((state as { personalWords: string[] }).personalWords).toContain(user.username);

    const done = await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    // The older session in another browser is signed out, and so is this one.
    expect((await signedIn.call(securityInfo.getSecurityInfo)).status).toBe(401);
    expect(stageOf((await browser.call(session.getSession)).body)).toBe('anonymous');
    const db = t.app.ctx.db;
    const throttles = await db.selectFrom('throttle_counters').select('key').where('key', 'like', `pw:%${user.username}%`).execute();
    expect(throttles).toEqual([]);
    expect(await canSignIn(user, user.password)).toBe(401);
    expect(await canSignIn(user, NEW_PASSWORD)).toBe(200);
    const log = await db
      .selectFrom('verification_log')
      .selectAll()
      .where('username', '=', user.username)
      .where('event', '=', 'password_reset')
      .execute();
    expect(log.map((r) => [r.auth_mode, r.result])).toEqual([['totp', 'success']]);
    const proofLog = await db
      .selectFrom('verification_log')
      .select('event')
      .where('username', '=', user.username)
      .where('event', '=', 'password_reset.proof')
      .execute();
    expect(proofLog).toHaveLength(1);
    const mail = await db.selectFrom('mail_queue').select('body').where('recipient', '=', `${user.username}@example.test`).execute();
    expect(mail.some((m) => m.body.includes('app passwords still work'))).toBe(true);
  });

  it('resets with an SMS code, and with a voice call', async () => {
    for (const delivery of ['sms', 'voice'] as const) {
      const { user, phoneMethod } = await userWithAppAndPhone();
      const browser = await newBrowser();
      expect((await start(browser, user.username)).body.step).toBe('prove');
      const proved = await proveWithPhone(browser, phoneMethod.methodId, phoneMethod.e164, delivery);
      expect(proved.status, JSON.stringify(proved.body)).toBe(200);
      expect(((await browser.call(passwordReset.getPasswordReset)).body as PasswordResetState).step).toBe('choose_password');
      expect((await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } })).status).toBe(200);
      const log = await t.app.ctx.db
        .selectFrom('verification_log')
        .selectAll()
        .where('username', '=', user.username)
        .where('event', '=', 'password_reset')
        .execute();
      expect(log.map((r) => [r.auth_mode, r.phone])).toEqual([['sms', expect.stringContaining('+48')]]);
    }
  });

  it('resets with a security key or passkey', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const signedIn = await signIn(t, user);
    const key = new SoftAuthenticator();
    const reg = (await signedIn.call(webauthn.startWebAuthnRegistration, { body: {} })).body as {
      challengeId: string;
      options: { challenge: string; user: { id: string } };
    };
    const response = key.createCredential({
      challenge: reg.options.challenge,
      rpId: 'localhost',
      origin: 'http://localhost:8080',
      userHandle: reg.options.user.id,
      residentKey: true,
    });
    expect(
      (await signedIn.call(webauthn.finishWebAuthnRegistration, { body: { challengeId: reg.challengeId, fallbackLabel: 'Key', response } }))
        .status,
    ).toBe(200);

    const browser = await newBrowser();
    expect((await start(browser, user.username)).body.step).toBe('prove');
    const ceremony = (await browser.call(webauthn.startWebAuthnVerification, { body: {} })).body as {
      challengeId: string;
      options: { challenge: string };
    };
    const assertion = key.getAssertion({ challenge: ceremony.options.challenge, rpId: 'localhost', origin: 'http://localhost:8080' });
    const proved = await browser.call(webauthn.finishWebAuthnVerification, {
      body: { challengeId: ceremony.challengeId, response: assertion },
    });
    expect(proved.status, JSON.stringify(proved.body)).toBe(200);
    expect((await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } })).status).toBe(200);
    expect(await canSignIn(user, NEW_PASSWORD)).toBe(200);
  });

  it('resets with a hardware token', async () => {
    const seed = new TextEncoder().encode('12345678901234567890');
    const tokenCode = () => otpAt(seed, { algorithm: 'SHA1', digits: 6 }, Math.floor(t.clock.now() / 1000 / 30));
    const admin = await createUser(t, { withAuthenticator: true, isAdmin: true });
    const adminBrowser = await signIn(t, admin);
    const user = await createUser(t, { withAuthenticator: true });
    const serial = `R${kind}${Date.now().toString(36)}`.toUpperCase();
    const content = `upn,serial number,secret key,time interval,manufacturer,model\n${user.username},${serial},GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,Acme,Fob\n`;
    expect((await adminBrowser.call(hardwareToken.commitTokenImport, { body: { format: 'csv', content } })).status).toBe(200);
    const signedIn = await signIn(t, user);
    t.clock.advance(30);
    const activated = await signedIn.call(hardwareToken.activateHardwareToken, { body: { serial, code: tokenCode(), label: 'Key fob' } });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    const methodId = (activated.body as { method: { id: string } }).method.id;

    const browser = await newBrowser();
    expect((await start(browser, user.username)).body.step).toBe('prove');
    t.clock.advance(30);
    const proved = await browser.call(hardwareToken.verifyHardwareToken, { body: { code: tokenCode(), methodId } });
    expect(proved.status, JSON.stringify(proved.body)).toBe(200);
    expect((await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } })).status).toBe(200);
    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .select(['auth_mode', 'device_token'])
      .where('username', '=', user.username)
      .where('event', '=', 'password_reset')
      .execute();
    expect(log).toEqual([{ auth_mode: 'hardware_token', device_token: serial }]);
  });

  it('with two methods required, refuses the same method twice and the password before the second proof', async () => {
    await resetOn(2);
    const { user, phoneMethod } = await userWithAppAndPhone();
    const browser = await newBrowser();
    expect((await start(browser, user.username)).body).toMatchObject({ step: 'prove', methodsRequired: 2 });
    expect((await proveWithApp(browser, user)).status).toBe(200);
    const again = await proveWithApp(browser, user);
    expect(errorCode(again.body)).toBe('password_reset_same_method');
    const early = await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } });
    expect([early.status, errorCode(early.body)]).toEqual([409, 'password_reset_step']);
    expect((await proveWithPhone(browser, phoneMethod.methodId, phoneMethod.e164)).status).toBe(200);
    expect((await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } })).status).toBe(200);
    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .select('auth_mode')
      .where('username', '=', user.username)
      .where('event', '=', 'password_reset')
      .execute();
    expect(log.map((r) => r.auth_mode).sort()).toEqual(['sms', 'totp']);
  });

  it('takes a recovery code as one proof, checked before the code is spent, and never two codes for two methods', async () => {
    await resetOn(2);
    const { user, signedIn } = await userWithAppAndPhone();
    const made = await signedIn.call(recoveryCodes.generateRecoveryCodes);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const codes = (made.body as { codes: string[] }).codes;
    const remaining = async () => ((await signedIn.call(recoveryCodes.getRecoveryCodes)).body as { remaining: number }).remaining;

    const browser = await newBrowser();
    expect((await start(browser, user.username)).body).toMatchObject({ step: 'prove', methodsRequired: 2, recoveryCode: true });
    expect((await browser.call(recoveryCodes.verifyRecoveryCode, { body: { code: codes[0]! } })).status).toBe(200);
    const afterCode = (await browser.call(passwordReset.getPasswordReset)).body as PasswordResetState;
    expect(afterCode).toMatchObject({ step: 'prove', recoveryCode: false, provedMethodIds: ['recovery-code'] });
    // A second code cannot stand for the second method, and is not spent by trying.
    const second = await browser.call(recoveryCodes.verifyRecoveryCode, { body: { code: codes[1]! } });
    expect(errorCode(second.body)).toBe('password_reset_same_method');
    expect(await remaining()).toBe(codes.length - 1);
    // Nor is a code spent once every proof is given.
    expect((await proveWithApp(browser, user)).status).toBe(200);
    const late = await browser.call(recoveryCodes.verifyRecoveryCode, { body: { code: codes[1]! } });
    expect(errorCode(late.body)).toBe('password_reset_step');
    expect(await remaining()).toBe(codes.length - 1);

    expect((await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } })).status).toBe(200);
    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .select('auth_mode')
      .where('username', '=', user.username)
      .where('event', '=', 'password_reset')
      .execute();
    expect(log.map((r) => r.auth_mode).sort()).toEqual(['recovery_code', 'totp']);
    expect(await canSignIn(user, NEW_PASSWORD)).toBe(200);
  });

  it('counts recovery codes toward the proofs a reset needs', async () => {
    await resetOn(2);
    const user = await createUser(t, { withAuthenticator: true });
    const browserWithout = await newBrowser();
    expect((await start(browserWithout, user.username)).body).toEqual({ step: 'contact_admin' });
    const signedIn = await signIn(t, user);
    expect((await signedIn.call(recoveryCodes.generateRecoveryCodes)).status).toBe(200);
    const browser = await newBrowser();
    expect((await start(browser, user.username)).body).toMatchObject({ step: 'prove', recoveryCode: true });
  });

  it('refuses skipped steps, another browser and a temporary access pass', async () => {
    const { user } = await userWithAppAndPhone();
    // No reset started: neither the proof nor the password step does anything.
    const stranger = await newBrowser();
    expect((await proveWithApp(stranger, user)).status).toBe(401);
    const direct = await stranger.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } });
    expect([direct.status, errorCode(direct.body)]).toEqual([410, 'password_reset_expired']);
    // Started, not proved: the password step is refused.
    const browser = await newBrowser();
    await start(browser, user.username);
    const early = await browser.call(passwordReset.setNewPassword, { body: { password: NEW_PASSWORD } });
    expect([early.status, errorCode(early.body)]).toEqual([409, 'password_reset_step']);
    // A pass is no method: it cannot prove anyone in a reset.
    const pass = await browser.call(temporaryAccessPass.verifyTemporaryAccessPass, { body: { pass: 'ABCD-EFGH-IJKL' } });
    expect(pass.status).toBe(401);
    // The session cookie alone, without the flow cookie, is another browser.
    const res = await t.app.inject({
      method: 'POST',
      url: session.verifyTotp.path,
      headers: { cookie: browser.sessionCookie!, 'x-csrf-token': browser.csrfToken! },
      payload: { code: totpCode(user.totpSecret!, t.clock.now() + 30_000) },
    });
    expect(res.json()).toEqual({ error: { code: 'password_reset_expired' } });
  });

  it('expires after 15 minutes', async () => {
    const { user } = await userWithAppAndPhone();
    const browser = await newBrowser();
    await start(browser, user.username);
    t.clock.advance(RESET_FLOW_SECONDS + 1);
    // The session of the reset has ended with it.
    expect(errorCode((await proveWithApp(browser, user)).body)).toMatch(/^(unauthenticated|csrf_failed)$/);
    const state = await browser.call(passwordReset.getPasswordReset);
    expect([state.status, errorCode(state.body)]).toEqual([410, 'password_reset_expired']);
  });

  it('a code used for the reset cannot sign in', async () => {
    const { user } = await userWithAppAndPhone();
    const browser = await newBrowser();
    await start(browser, user.username);
    t.clock.advance(30);
    const code = totpCode(user.totpSecret!, t.clock.now());
    expect((await browser.call(session.verifyTotp, { body: { code } })).status).toBe(200);
    const other = await newBrowser();
    expect((await other.call(session.signIn, { body: { username: user.username, password: user.password } })).status).toBe(200);
    const reuse = await other.call(session.verifyTotp, { body: { code } });
    expect(errorCode(reuse.body)).toBe('code_already_used');
  });

  it('refuses short, common and weak passwords (English and Polish words) and the current one', async () => {
    const { user } = await userWithAppAndPhone();
    const browser = await newBrowser();
    await start(browser, user.username);
    await proveWithApp(browser, user);
    const attempt = async (password: string) => (await browser.call(passwordReset.setNewPassword, { body: { password } })).body;
    expect(await attempt('Sh0rt-pass')).toEqual({ error: { code: 'password_too_short', minLength: 12 } });
    expect(await attempt('password1234')).toEqual({ error: { code: 'password_common' } });
    expect(await attempt('qwertyuiop123')).toEqual({ error: { code: 'password_common' } });
    expect(await attempt('Barbara12345')).toMatchObject({ error: { code: 'password_weak', passwordFeedback: { warning: 'commonNames' } } });
    expect(errorCode(await attempt('Kochanie2024'))).toBe('password_weak');
    expect(errorCode(await attempt('Warszawa2024'))).toBe('password_weak');
    expect(errorCode(await attempt(`${user.username}${user.username}`))).toBe('password_weak');
    await setPolicy({ passwordReset: { enabled: true, methodsRequired: 1 }, passwords: { minLength: 8 } });
    expect(await attempt(user.password)).toEqual({ error: { code: 'password_same_as_current' } });
    expect((await browser.call(passwordReset.setNewPassword, { body: { password: 'Ogórek-Dom-Rower' } })).status).toBe(200);
  });

  it('asks users with fewer usable methods than reset needs to register more', async () => {
    await resetOn(2);
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const state = (await browser.call(session.getSession)).body as { state: { stage: string; reason?: string; methodsRequired?: number } };
    expect(state.state).toMatchObject({ stage: 'registration', reason: 'password_reset_enabled', methodsRequired: 2 });
  });

  it('answers unknown names, too few methods and a reset turned off alike', async () => {
    const lonely = await createUser(t, { withAuthenticator: true });
    await resetOn(2);
    const answers = [];
    for (const name of [lonely.username, `nobody-${kind}-${Date.now()}`]) {
      const browser = await newBrowser();
      const res = await browser.raw({
        method: 'POST',
        url: passwordReset.startPasswordReset.path,
        headers: { 'x-csrf-token': browser.csrfToken! },
        payload: { username: name },
      });
      const cookies = ([] as Array<string | number | undefined>).concat(res.headers['set-cookie']).map((c) => String(c).split('=')[0]);
      answers.push({ status: res.status, body: res.body, cookies });
      expect(stageOf((await browser.call(session.getSession)).body)).toBe('anonymous');
      expect((await browser.call(passwordReset.getPasswordReset)).body).toEqual({ step: 'contact_admin' });
    }
    expect(answers[0]).toEqual({ status: 200, body: { step: 'contact_admin' }, cookies: ['reset'] });
    expect(answers[1]).toEqual(answers[0]);
    await setPolicy({ passwordReset: { enabled: false, methodsRequired: 1 } });
    const off = await newBrowser();
    expect((await start(off, lonely.username)).body).toEqual({ step: 'contact_admin' });
  });

  it('takes as long for an unknown name as for a known one (ratio of medians over many tries)', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 4; i += 1) users.push((await userWithAppAndPhone()).user);
    const lonely = await createUser(t, { withAuthenticator: true });
    await resetOn(2);
    const known: number[] = [];
    const tooFew: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 24; i += 1) {
      const names: Array<[string, number[]]> = [
        [users[i % users.length]!.username, known],
        [`nobody-${kind}-${i}-${Math.random().toString(36).slice(2, 8)}`, unknown],
        [lonely.username, tooFew],
      ];
      // Only the time is measured here; the limit of starts per account has its own test.
      await t.app.ctx.db.deleteFrom('rate_events').execute();
      for (const [name, into] of i % 2 ? names : names.reverse()) {
        const browser = await newBrowser();
        const began = process.hrtime.bigint();
        const res = await browser.call(passwordReset.startPasswordReset, { body: { username: name } });
        const ms = Number(process.hrtime.bigint() - began) / 1e6;
        expect(res.status).toBe(200);
        if (i >= 3) into.push(ms);
      }
    }
    for (const other of [known, tooFew]) {
      const r = median(unknown) / median(other);
      expect(r).toBeGreaterThan(0.7);
      expect(r).toBeLessThan(1.4);
    }
  }, 120_000);

  it('limits starts per account like sign-in', async () => {
    const { user } = await userWithAppAndPhone();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await start(await newBrowser(), user.username)).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, authenticator, phone, securityInfo, session } from '../../../shared/api/index.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { orgPolicySchema } from '../../../shared/policy.ts';
import { totpCode } from '../../methods/authenticator/totp.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import {
  addAuthenticator,
  addPhone,
  createUser,
  errorCode,
  freshBrowser,
  lastPhoneCode,
  signIn,
  stageOf,
  type TestUser,
} from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { savePolicy } from './policy-store.ts';

type PolicyInput = Parameters<typeof orgPolicySchema.parse>[0];

describe.each(testDatabases)('the organisation’s method policy (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());
  // These tests are about the default method, so the second step leads with it: the system-preferred order has its own tests (stronger-methods.api.test.ts).
  const defaultFirst = orgPolicySchema.parse({ strongerMethods: { systemPreferred: false } });
  beforeEach(async () => savePolicy(t.app.ctx, defaultFirst));

  const setPolicy = (policy: PolicyInput) =>
    savePolicy(t.app.ctx, orgPolicySchema.parse({ strongerMethods: { systemPreferred: false }, ...(policy as object) }));
  const info = async (browser: TestBrowser) => (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;
  const state = (body: unknown) => (body as SessionInfo).state;

  /** Password only: the browser stops at whatever comes next. */
  async function password(user: TestUser): Promise<TestBrowser> {
    const browser = await freshBrowser(t);
    const res = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(res.status).toBe(200);
    return browser;
  }

  async function totp(browser: TestBrowser, secret: string) {
    t.clock.advance(30);
    return browser.call(session.verifyTotp, { body: { code: totpCode(secret, t.clock.now()) } });
  }

  /** Sends a sign-in code to the phone and types it. */
  async function phoneSignIn(browser: TestBrowser, methodId: string, e164: string, delivery: 'sms' | 'voice' = 'sms') {
    t.clock.advance(1);
    const sent = await browser.call(phone.sendSignInCode, { body: { methodId, delivery } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const { challengeId } = sent.body as { challengeId: string };
    return browser.call(phone.verifySignInCode, { body: { challengeId, code: await lastPhoneCode(t, e164) } });
  }

  /** bob: an authenticator app (the default) and a mobile phone by SMS. */
  async function bob() {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const mobile = await addPhone(t, browser);
    const app = (await info(browser)).methods.find((m) => m.kind === 'authenticator')!;
    expect(app.isDefault).toBe(true);
    return { user, mobile, appId: app.id };
  }

  it('a disabled default, end to end: verify with what is left, pick a usable default, Done; turned on again, it works again', async () => {
    const { user, mobile, appId } = await bob();
    const adminUser = await createUser(t, { withAuthenticator: true, isAdmin: true });
    const adminBrowser = await signIn(t, adminUser);
    // The administrator keeps a phone: turning off their own last usable method is refused.
    await addPhone(t, adminBrowser);
    const off = await adminBrowser.call(admin.setOrgPolicy, {
      body: { ...defaultFirst, enabledMethods: { ...defaultFirst.enabledMethods, authenticator: false } },
    });
    expect(off.status).toBe(200);

    const browser = await password(user);
    const second = state((await browser.call(session.getSession)).body);
    expect(second).toMatchObject({ stage: 'second_factor', temporaryAccessPass: 'offered' });
    if (second.stage !== 'second_factor') throw new Error('unreachable');
    // The phone first (usable), the app shown as turned off, never as default.
    expect(second.options.map((o) => [o.kind, o.turnedOff, o.isDefault])).toEqual([
      ['phone', false, false],
      ['authenticator', true, false],
    ]);
    // The app is refused at sign-in.
    expect(errorCode((await totp(browser, user.totpSecret!)).body)).toBe('method_not_allowed');

    const verified = await phoneSignIn(browser, mobile.methodId, mobile.e164);
    expect(state(verified.body)).toMatchObject({ stage: 'registration', reason: 'default_method_disabled', methodsRequired: 1 });

    const during = await info(browser);
    expect(during.defaultMethodId).toBeNull();
    expect(during.methods.find((m) => m.id === appId)).toMatchObject({ turnedOff: true, isDefault: false });
    expect(during.methods.find((m) => m.id === mobile.methodId)).toMatchObject({ turnedOff: false, isDefault: false });
    expect(during.canAdd.find((c) => c.kind === 'authenticator')).toMatchObject({ turnedOff: true, remaining: 4 });

    // Not Done before a usable default exists; the turned-off app cannot be it.
    expect(errorCode((await browser.call(session.completeRegistration)).body)).toBe('registration_incomplete');
    expect(errorCode((await browser.call(securityInfo.setDefaultMethod, { body: { methodId: appId } })).body)).toBe('method_not_allowed');
    expect(errorCode((await browser.call(authenticator.startAuthenticatorSetup, { body: {} })).body)).toBe('method_not_allowed');
    const picked = await browser.call(securityInfo.setDefaultMethod, { body: { methodId: mobile.methodId } });
    expect((picked.body as SecurityInfo).defaultMethodId).toBe(mobile.methodId);
    const done = await browser.call(session.completeRegistration);
    expect(stageOf(done.body)).toBe('signed_in');
    // Kept, not deleted.
    expect((await info(browser)).methods.map((m) => m.id)).toContain(appId);

    // Turned on again: the app works again, and is offered again.
    await adminBrowser.call(admin.setOrgPolicy, { body: defaultFirst });
    const again = await password(user);
    const options = (state((await again.call(session.getSession)).body) as { options: Array<{ methodId: string; turnedOff: boolean }> })
      .options;
    expect(options.find((o) => o.methodId === appId)?.turnedOff).toBe(false);
    expect(stageOf((await totp(again, user.totpSecret!)).body)).toBe('signed_in');
  });

  it('phoneOptions.sms off: no text codes, but the mobile phone can still be called; no SMS set-up', async () => {
    const { user, mobile } = await bob();
    await setPolicy({ phoneOptions: { sms: false } });
    const browser = await password(user);
    const second = state((await browser.call(session.getSession)).body);
    if (second.stage !== 'second_factor') throw new Error(`stage ${second.stage}`);
    expect(second.options.find((o) => o.methodId === mobile.methodId)).toMatchObject({ turnedOff: false, deliveries: ['voice'] });
    t.clock.advance(1);
    expect(errorCode((await browser.call(phone.sendSignInCode, { body: { methodId: mobile.methodId, delivery: 'sms' } })).body)).toBe(
      'method_not_allowed',
    );
    expect(stageOf((await phoneSignIn(browser, mobile.methodId, mobile.e164, 'voice')).body)).toBe('signed_in');
    const start = await browser.call(phone.startPhoneSetup, {
      body: { phoneKind: 'alternate', country: 'PL', number: '512 999 111', delivery: 'voice' },
    });
    expect(start.status).toBe(200);
    const sms = await browser.call(phone.startPhoneSetup, {
      body: { phoneKind: 'office', country: 'PL', number: '512 999 112', delivery: 'sms' },
    });
    expect(sms.status).toBe(400);
    expect((await info(browser)).canAdd.find((c) => c.kind === 'phone')).toMatchObject({
      turnedOff: false,
      phones: [
        { phoneKind: 'mobile', deliveries: ['voice'] },
        { phoneKind: 'alternate', deliveries: ['voice'] },
        { phoneKind: 'office', deliveries: ['voice'] },
      ],
    });
  });

  it('a phone default names text or call: SMS off turns a texted default off while the phone can still be called', async () => {
    const user = await createUser(t);
    const first = await password(user);
    // The first method becomes the default, reached the way it was proved: by text.
    const mobile = await addPhone(t, first, { delivery: 'sms' });
    expect(await info(first)).toMatchObject({ defaultMethodId: mobile.methodId, defaultDelivery: 'sms' });
    expect(stageOf((await first.call(session.completeRegistration)).body)).toBe('signed_in');
    await addAuthenticator(t, first);
    // A delivery is for phones only, and only one the phone can take.
    const app = (await info(first)).methods.find((m) => m.kind === 'authenticator')!;
    expect(errorCode((await first.call(securityInfo.setDefaultMethod, { body: { methodId: app.id, delivery: 'sms' } })).body)).toBe(
      'invalid_input',
    );
    const adminUser = await createUser(t, { withAuthenticator: true, isAdmin: true });
    const adminBrowser = await signIn(t, adminUser);
    const smsOff = { ...defaultFirst, phoneOptions: { ...defaultFirst.phoneOptions, sms: false } };
    const texted = async () =>
      ((await adminBrowser.call(admin.previewOrgPolicy, { body: smsOff })).body as { turnedOff: Array<{ defaultUsers: number }> })
        .turnedOff[0]!.defaultUsers;
    const textedBefore = await texted();
    expect((await adminBrowser.call(admin.setOrgPolicy, { body: smsOff })).status).toBe(200);

    // The second step offers the phone by call only; the default is turned off, the phone is not.
    const browser = await password(user);
    const second = state((await browser.call(session.getSession)).body);
    if (second.stage !== 'second_factor') throw new Error(`stage ${second.stage}`);
    expect(second.options.find((o) => o.methodId === mobile.methodId)).toMatchObject({
      turnedOff: false,
      isDefault: false,
      deliveries: ['voice'],
    });
    const verified = await phoneSignIn(browser, mobile.methodId, mobile.e164, 'voice');
    expect(state(verified.body)).toMatchObject({ stage: 'registration', reason: 'default_method_disabled' });
    expect(await info(browser)).toMatchObject({ defaultMethodId: null, defaultDelivery: null });
    expect(errorCode((await browser.call(session.completeRegistration)).body)).toBe('registration_incomplete');
    // Text is refused as the new default; a call is taken, and Done lets the user through.
    expect(
      errorCode((await browser.call(securityInfo.setDefaultMethod, { body: { methodId: mobile.methodId, delivery: 'sms' } })).body),
    ).toBe('method_not_allowed');
    const picked = await browser.call(securityInfo.setDefaultMethod, { body: { methodId: mobile.methodId, delivery: 'voice' } });
    expect(picked.body).toMatchObject({ defaultMethodId: mobile.methodId, defaultDelivery: 'voice' });
    expect(stageOf((await browser.call(session.completeRegistration)).body)).toBe('signed_in');

    // Next time the call leads: the phone is the default, offered by call.
    const again = await password(user);
    const next = state((await again.call(session.getSession)).body);
    if (next.stage !== 'second_factor') throw new Error(`stage ${next.stage}`);
    expect(next.options[0]).toMatchObject({ methodId: mobile.methodId, isDefault: true, deliveries: ['voice'] });
    // With SMS on again, both are offered, the call first, as chosen.
    await adminBrowser.call(admin.setOrgPolicy, { body: defaultFirst });
    // Turning SMS off again would no longer turn this user's default off.
    expect(await texted()).toBe(textedBefore - 1);
    const third = state((await (await password(user)).call(session.getSession)).body);
    if (third.stage !== 'second_factor') throw new Error(`stage ${third.stage}`);
    expect(third.options[0]).toMatchObject({ methodId: mobile.methodId, isDefault: true, deliveries: ['voice', 'sms'] });
  });

  it('phoneOptions.voice off: no calls; alternate and office phones (call only) count as turned off', async () => {
    const { user, mobile } = await bob();
    const signedIn = await signIn(t, user);
    const alternate = await addPhone(t, signedIn, { phoneKind: 'alternate' });
    await setPolicy({ phoneOptions: { voice: false } });
    const browser = await password(user);
    const second = state((await browser.call(session.getSession)).body);
    if (second.stage !== 'second_factor') throw new Error(`stage ${second.stage}`);
    expect(second.options.find((o) => o.methodId === mobile.methodId)).toMatchObject({ turnedOff: false, deliveries: ['sms'] });
    expect(second.options.find((o) => o.methodId === alternate.methodId)).toMatchObject({ turnedOff: true });
    t.clock.advance(1);
    expect(errorCode((await browser.call(phone.sendSignInCode, { body: { methodId: mobile.methodId, delivery: 'voice' } })).body)).toBe(
      'method_not_allowed',
    );
    expect(errorCode((await browser.call(phone.sendSignInCode, { body: { methodId: alternate.methodId, delivery: 'voice' } })).body)).toBe(
      'method_not_allowed',
    );
    expect(stageOf((await phoneSignIn(browser, mobile.methodId, mobile.e164, 'sms')).body)).toBe('signed_in');
    expect((await info(browser)).canAdd.find((c) => c.kind === 'phone')).toMatchObject({
      turnedOff: false,
      phones: [{ phoneKind: 'mobile', deliveries: ['sms'] }],
    });
  });

  it('phoneOptions.alternate and office off: those phones are turned off and cannot be added; mobile phones go on', async () => {
    const { user } = await bob();
    const browser = await signIn(t, user);
    const alternate = await addPhone(t, browser, { phoneKind: 'alternate' });
    await setPolicy({ phoneOptions: { alternate: false, office: false } });
    const now = await info(browser);
    expect(now.methods.find((m) => m.id === alternate.methodId)).toMatchObject({ turnedOff: true });
    expect(now.methods.filter((m) => m.turnedOff)).toHaveLength(1);
    expect(now.canAdd.find((c) => c.kind === 'phone')?.phones).toEqual([{ phoneKind: 'mobile', deliveries: ['sms', 'voice'] }]);
    const office = await browser.call(phone.startPhoneSetup, {
      body: { phoneKind: 'office', country: 'PL', number: '512 999 113', delivery: 'voice' },
    });
    expect(errorCode(office.body)).toBe('method_not_allowed');
    expect(errorCode((await browser.call(securityInfo.setDefaultMethod, { body: { methodId: alternate.methodId } })).body)).toBe(
      'method_not_allowed',
    );
  });

  it('SMS and voice both off: a phone counts as turned off, and phones cannot be added', async () => {
    const { user, mobile } = await bob();
    await setPolicy({ phoneOptions: { sms: false, voice: false } });
    const browser = await signIn(t, user);
    const now = await info(browser);
    expect(now.methods.find((m) => m.id === mobile.methodId)).toMatchObject({ turnedOff: true });
    expect(now.canAdd.find((c) => c.kind === 'phone')).toMatchObject({ turnedOff: true, phones: [] });
  });

  it('methodsRequired 2: Done only once two usable methods exist, at first registration too', async () => {
    await setPolicy({ registration: { methodsRequired: 2 } });
    const user = await createUser(t);
    const browser = await password(user);
    expect(state((await browser.call(session.getSession)).body)).toMatchObject({ stage: 'registration', methodsRequired: 2 });
    await addPhone(t, browser);
    expect(errorCode((await browser.call(session.completeRegistration)).body)).toBe('registration_incomplete');
    await addAuthenticator(t, browser);
    expect(stageOf((await browser.call(session.completeRegistration)).body)).toBe('signed_in');
  });

  it('methodsRequired 2: a turned-off method does not count towards the two', async () => {
    const { user, mobile } = await bob();
    await setPolicy({ registration: { methodsRequired: 2 }, enabledMethods: { authenticator: false } });
    const browser = await password(user);
    expect(stageOf((await phoneSignIn(browser, mobile.methodId, mobile.e164)).body)).toBe('registration');
    await browser.call(securityInfo.setDefaultMethod, { body: { methodId: mobile.methodId } });
    expect(errorCode((await browser.call(session.completeRegistration)).body)).toBe('registration_incomplete');
    await addPhone(t, browser, { phoneKind: 'alternate' });
    expect(stageOf((await browser.call(session.completeRegistration)).body)).toBe('signed_in');
  });

  it('no usable method left, register_after_password: straight into registration after the password', async () => {
    await setPolicy({ enabledMethods: { authenticator: false }, registration: { whenNoUsableMethod: 'register_after_password' } });
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await password(user);
    expect(state((await browser.call(session.getSession)).body)).toMatchObject({ stage: 'registration', reason: 'no_usable_method' });
    const mobile = await addPhone(t, browser);
    expect((await info(browser)).defaultMethodId).toBe(mobile.methodId);
    expect(stageOf((await browser.call(session.completeRegistration)).body)).toBe('signed_in');
  });

  it('no usable method left, temporary_access_pass: the second step asks for a pass and nothing else gets in', async () => {
    await setPolicy({ enabledMethods: { authenticator: false } });
    const user = await createUser(t, { withAuthenticator: true });
    // A wrong password learns nothing about it.
    const wrong = await freshBrowser(t);
    const refused = await wrong.call(session.signIn, { body: { username: user.username, password: 'not-it' } });
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).not.toMatch(/temporary/);

    const browser = await password(user);
    const second = state((await browser.call(session.getSession)).body);
    expect(second).toMatchObject({ stage: 'second_factor', temporaryAccessPass: 'required' });
    if (second.stage !== 'second_factor') throw new Error('unreachable');
    expect(second.options.every((o) => o.turnedOff)).toBe(true);
    expect((await browser.call(securityInfo.getSecurityInfo)).status).toBe(401);
    expect((await browser.call(session.completeRegistration)).status).toBe(401);
    expect(errorCode((await totp(browser, user.totpSecret!)).body)).toBe('method_not_allowed');
  });
});

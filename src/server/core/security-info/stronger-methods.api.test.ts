import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hardwareToken, passkeys, phone, securityInfo, session, strongerMethods, webauthn } from '../../../shared/api/index.ts';
import type { SignInOption } from '../../../shared/api/common.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { defaultOrgPolicy, orgPolicySchema } from '../../../shared/policy.ts';
import { totpCode } from '../../methods/authenticator/totp.ts';
import { otpAt } from '../../methods/hardware-token/otp.ts';
import { SoftAuthenticator } from '../../methods/webauthn/test-support/soft-authenticator.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { addPhone, createUser, errorCode, freshBrowser, lastPhoneCode, signIn, type TestUser } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { savePolicy } from './policy-store.ts';

const ORIGIN = 'http://localhost:8080';
const RP_ID = 'localhost';
const GOOGLE_PASSWORD_MANAGER = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';
const SEED = new TextEncoder().encode('12345678901234567890');
const SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const DAY = 24 * 60 * 60;

type PolicyInput = Parameters<typeof orgPolicySchema.parse>[0];
type Ceremony = { challengeId: string; options: { challenge: string; user: { id: string }; authenticatorSelection?: object } };

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((s) => [...s, item])], [[]]);
}

describe.each(testDatabases)('stronger methods first (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());
  beforeEach(async () => savePolicy(t.app.ctx, defaultOrgPolicy));

  const setPolicy = (policy: PolicyInput) => savePolicy(t.app.ctx, orgPolicySchema.parse(policy));
  const info = async (browser: TestBrowser) => (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;

  async function passwordStep(user: TestUser): Promise<{ browser: TestBrowser; state: SessionInfo['state'] }> {
    const browser = await freshBrowser(t);
    const res = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(res.status).toBe(200);
    return { browser, state: (res.body as SessionInfo).state };
  }

  async function registerPasskey(browser: TestBrowser, key: SoftAuthenticator) {
    const start = (await browser.call(webauthn.startWebAuthnRegistration, { body: {} })).body as Ceremony;
    const response = key.createCredential({
      challenge: start.options.challenge,
      rpId: RP_ID,
      origin: ORIGIN,
      userHandle: start.options.user.id,
      residentKey: true,
    });
    const res = await browser.call(webauthn.finishWebAuthnRegistration, {
      body: { challengeId: start.challengeId, fallbackLabel: 'Security key', response },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { start, methodId: (res.body as { method: { id: string } }).method.id, credentialId: response.id };
  }

  describe('system-preferred ordering', () => {
    /** One user with every kind: a passkey, a hardware token, an app, a mobile phone (texted by default) and an office phone. */
    let user: TestUser;
    let ids: Record<'passkey' | 'token' | 'app' | 'mobile' | 'office', string>;

    beforeAll(async () => {
      const admin = await createUser(t, { withAuthenticator: true, isAdmin: true });
      user = await createUser(t, { withAuthenticator: true });
      const browser = await signIn(t, user);
      const mobile = await addPhone(t, browser, { phoneKind: 'mobile', delivery: 'sms', label: 'Mobile' });
      const office = await addPhone(t, browser, { phoneKind: 'office', label: 'Office' });
      const passkey = await registerPasskey(browser, new SoftAuthenticator());
      const adminBrowser = await signIn(t, admin);
      const serial = `SP${Date.now().toString(36).toUpperCase()}${kind}`;
      const imported = await adminBrowser.call(hardwareToken.commitTokenImport, {
        body: {
          format: 'csv',
          content: `upn,serial number,secret key,time interval,manufacturer,model\n${user.username},${serial},${SEED_BASE32},30,Acme,Fob\n`,
        },
      });
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);
      const code = otpAt(SEED, { algorithm: 'SHA1', digits: 6 }, Math.floor(t.clock.now() / 30_000));
      const token = await browser.call(hardwareToken.activateHardwareToken, { body: { serial, code, label: 'Key fob' } });
      expect(token.status, JSON.stringify(token.body)).toBe(200);
      const methods = (await info(browser)).methods;
      ids = {
        passkey: passkey.methodId,
        token: methods.find((m) => m.kind === 'hardware_token')!.id,
        app: methods.find((m) => m.kind === 'authenticator')!.id,
        mobile: mobile.methodId,
        office: office.methodId,
      };
      // The weakest way as the default: text messages to the mobile phone.
      const chosen = await browser.call(securityInfo.setDefaultMethod, { body: { methodId: ids.mobile, delivery: 'sms' } });
      expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    });

    const phoneStates = ['off', 'sms and voice', 'sms only', 'voice only'] as const;
    const combinations = subsets(['webauthn', 'hardware_token', 'authenticator'] as const).flatMap((kinds) =>
      phoneStates.map((phones) => ({ kinds, phones })),
    );

    it('every combination of kinds (and of phone deliveries) asks for the strongest first, the rest in order, turned-off last', async () => {
      expect(combinations).toHaveLength(32);
      for (const { kinds, phones } of combinations) {
        const sms = phones === 'sms and voice' || phones === 'sms only';
        const voice = phones === 'sms and voice' || phones === 'voice only';
        await setPolicy({
          enabledMethods: {
            webauthn: kinds.includes('webauthn'),
            hardware_token: kinds.includes('hardware_token'),
            authenticator: kinds.includes('authenticator'),
            phone: phones !== 'off',
          },
          phoneOptions: { sms, voice },
        });
        // Written out by hand: passkey > token > app > call > text; the two phones tie on a call, the default first.
        const expected: Array<{ id: string; deliveries?: string[] }> = [];
        if (kinds.includes('webauthn')) expected.push({ id: ids.passkey });
        if (kinds.includes('hardware_token')) expected.push({ id: ids.token });
        if (kinds.includes('authenticator')) expected.push({ id: ids.app });
        if (sms || voice) expected.push({ id: ids.mobile, deliveries: voice && sms ? ['voice', 'sms'] : voice ? ['voice'] : ['sms'] });
        if (voice) expected.push({ id: ids.office, deliveries: ['voice'] });

        const { state } = await passwordStep(user);
        const label = `${kinds.join('+') || 'no other kind'}, phones ${phones}`;
        if (expected.length === 0) {
          expect(state, label).toMatchObject({ stage: 'second_factor', temporaryAccessPass: 'required' });
          continue;
        }
        expect(state.stage, label).toBe('second_factor');
        const options = (state as { options: SignInOption[] }).options;
        const usable = options.filter((o) => !o.turnedOff);
        expect(
          usable.map((o) => ({ id: o.methodId, ...(o.deliveries ? { deliveries: o.deliveries } : {}) })),
          label,
        ).toEqual(expected);
        expect(
          options.slice(usable.length).every((o) => o.turnedOff),
          label,
        ).toBe(true);
        expect(options).toHaveLength(5);
      }
    });

    it('the Security info page names what is asked for first; with the switch off, the default leads as chosen', async () => {
      const browser = await signIn(t, user);
      expect(await info(browser)).toMatchObject({ systemPreferred: true, askedFirst: { methodId: ids.passkey, delivery: null } });
      await setPolicy({ enabledMethods: { webauthn: false, hardware_token: false, authenticator: false } });
      expect(await info(browser)).toMatchObject({ askedFirst: { methodId: ids.mobile, delivery: 'voice' } });

      await setPolicy({ strongerMethods: { systemPreferred: false } });
      expect(await info(browser)).toMatchObject({ systemPreferred: false, askedFirst: { methodId: ids.mobile, delivery: 'sms' } });
      const { state } = await passwordStep(user);
      const options = (state as { options: SignInOption[] }).options;
      expect(options[0]).toMatchObject({ methodId: ids.mobile, isDefault: true, deliveries: ['sms', 'voice'] });
    });
  });

  describe('the invitation to add a stronger method', () => {
    /** A user whose only method is a mobile phone, signed in with it. */
    async function phoneOnlyUser(): Promise<{ user: TestUser; browser: TestBrowser; methodId: string; e164: string }> {
      const user = await createUser(t);
      const browser = await signIn(t, user);
      const added = await addPhone(t, browser);
      expect((await browser.call(session.completeRegistration)).status).toBe(200);
      return { user, browser, ...added };
    }

    /** Days later the session is long gone: password and a texted code again. */
    async function signInByPhone(user: TestUser, methodId: string, e164: string): Promise<TestBrowser> {
      const { browser } = await passwordStep(user);
      t.clock.advance(1);
      const sent = await browser.call(phone.sendSignInCode, { body: { methodId, delivery: 'sms' } });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      const { challengeId } = sent.body as { challengeId: string };
      const done = await browser.call(phone.verifySignInCode, { body: { challengeId, code: await lastPhoneCode(t, e164) } });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      return browser;
    }

    const nudge = async (browser: TestBrowser) => (await browser.call(strongerMethods.getNudge)).body;
    const snooze = (browser: TestBrowser) => browser.call(strongerMethods.snoozeNudge, { body: {} });

    it('is put off 14 days at a time, at most 3 times; the third time ends it', async () => {
      const { user, browser: first, methodId, e164 } = await phoneOnlyUser();
      let browser = first;
      expect(await nudge(browser)).toEqual({ show: true, offers: ['webauthn', 'authenticator'], lastReminder: false });

      for (const snoozeNumber of [1, 2, 3]) {
        const put = await snooze(browser);
        expect(put.status).toBe(200);
        expect(put.body).toEqual({ show: false });
        expect(errorCode((await snooze(browser)).body)).toBe('nudge_not_shown');
        // A little less than 14 days (signing in again takes a few seconds): still put off.
        t.clock.advance(14 * DAY - 60);
        browser = await signInByPhone(user, methodId, e164);
        expect(await nudge(browser), `after snooze ${snoozeNumber}`).toEqual({ show: false });
        t.clock.advance(60);
        expect(await nudge(browser), `14 days after snooze ${snoozeNumber}`).toEqual(
          snoozeNumber < 3 ? { show: true, offers: ['webauthn', 'authenticator'], lastReminder: snoozeNumber === 2 } : { show: false },
        );
      }
      // Put off three times: never again.
      t.clock.advance(100 * DAY);
      browser = await signInByPhone(user, methodId, e164);
      expect(await nudge(browser)).toEqual({ show: false });
      expect(errorCode((await snooze(browser)).body)).toBe('nudge_not_shown');
    });

    it('is for phone-only users, offers only what the policy lets them add, and the administrator can turn it off', async () => {
      const { browser } = await phoneOnlyUser();
      await setPolicy({ strongerMethods: { nudge: false } });
      expect(await nudge(browser)).toEqual({ show: false });
      expect(errorCode((await snooze(browser)).body)).toBe('nudge_not_shown');
      await setPolicy({ enabledMethods: { webauthn: false } });
      expect(await nudge(browser)).toEqual({ show: true, offers: ['authenticator'], lastReminder: false });
      await setPolicy({ enabledMethods: { webauthn: false, authenticator: false } });
      expect(await nudge(browser)).toEqual({ show: false });

      // An app beside the phone: nothing to nudge towards; with apps turned off, only phones are usable again.
      await setPolicy({});
      const withApp = await signIn(t, await createUser(t, { withAuthenticator: true }));
      await addPhone(t, withApp);
      expect(await nudge(withApp)).toEqual({ show: false });
      await setPolicy({ enabledMethods: { authenticator: false } });
      expect(await nudge(withApp)).toEqual({ show: true, offers: ['webauthn'], lastReminder: false });
    });
  });

  describe('passkey upgrade and the Signal API', () => {
    it('right after a password and second-step sign-in, saves the password manager’s passkey under its name and tells the user', async () => {
      await setPolicy({ strongerMethods: { passkeyUpgrade: true } });
      const user = await createUser(t, { withAuthenticator: true });
      const browser = await signIn(t, user);
      expect(((await browser.call(session.getSession)).body as SessionInfo).state).toMatchObject({
        stage: 'signed_in',
        passkeyUpgrade: true,
      });
      const start = await browser.call(passkeys.startPasskeyUpgrade, { body: {} });
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      const ceremony = start.body as Ceremony;
      expect(ceremony.options.authenticatorSelection).toEqual({
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'preferred',
      });
      // Conditional creation: the password manager verifies nobody.
      const manager = new SoftAuthenticator({
        aaguid: GOOGLE_PASSWORD_MANAGER,
        userVerification: false,
        backupEligible: true,
        attachment: 'platform',
      });
      const response = manager.createCredential({
        challenge: ceremony.options.challenge,
        rpId: RP_ID,
        origin: ORIGIN,
        userHandle: ceremony.options.user.id,
        residentKey: true,
      });
      const done = await browser.call(passkeys.finishPasskeyUpgrade, {
        body: { challengeId: ceremony.challengeId, fallbackLabel: 'Passkey', response },
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ method: { kind: 'webauthn', label: 'Google Password Manager' } });
      expect((await info(browser)).methods.map((m) => m.label)).toContain('Google Password Manager');
      const mail = await t.app.ctx.db
        .selectFrom('mail_queue')
        .selectAll()
        .where('recipient', '=', `${user.username}@example.test`)
        .execute();
      expect(mail.length).toBeGreaterThanOrEqual(1);

      // What the Signal API is told after sign-in: every credential of the user, under the user handle it was made with.
      const accepted = await browser.call(passkeys.getAcceptedCredentials);
      expect(accepted.body).toEqual({
        rpId: RP_ID,
        userId: ceremony.options.user.id,
        credentials: [{ methodId: (done.body as { method: { id: string } }).method.id, credentialId: response.id }],
      });
    });

    it('is refused when the policy is off, after the window, and for a mere re-verification; a normal registration still needs user verification', async () => {
      const user = await createUser(t, { withAuthenticator: true });
      let browser = await signIn(t, user);
      expect(((await browser.call(session.getSession)).body as SessionInfo).state).toMatchObject({ passkeyUpgrade: false });
      expect(errorCode((await browser.call(passkeys.startPasskeyUpgrade, { body: {} })).body)).toBe('passkey_upgrade_unavailable');

      await setPolicy({ strongerMethods: { passkeyUpgrade: true } });
      browser = await signIn(t, user);
      const ceremony = (await browser.call(passkeys.startPasskeyUpgrade, { body: {} })).body as Ceremony;
      t.clock.advance(5 * 60 + 1);
      const manager = new SoftAuthenticator({ userVerification: false });
      const late = manager.createCredential({
        challenge: ceremony.options.challenge,
        rpId: RP_ID,
        origin: ORIGIN,
        userHandle: ceremony.options.user.id,
        residentKey: true,
      });
      const refused = await browser.call(passkeys.finishPasskeyUpgrade, {
        body: { challengeId: ceremony.challengeId, fallbackLabel: 'Passkey', response: late },
      });
      expect(errorCode(refused.body)).toBe('passkey_upgrade_unavailable');
      // Verifying again is no sign-in with a password: still refused.
      const reverified = await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } });
      expect(reverified.status).toBe(200);
      expect(errorCode((await browser.call(passkeys.startPasskeyUpgrade, { body: {} })).body)).toBe('passkey_upgrade_unavailable');

      // The ordinary registration still refuses a credential made without user verification.
      const start = (await browser.call(webauthn.startWebAuthnRegistration, { body: {} })).body as Ceremony;
      const unverified = new SoftAuthenticator({ userVerification: false }).createCredential({
        challenge: start.options.challenge,
        rpId: RP_ID,
        origin: ORIGIN,
        userHandle: start.options.user.id,
        residentKey: true,
      });
      const plain = await browser.call(webauthn.finishWebAuthnRegistration, {
        body: { challengeId: start.challengeId, fallbackLabel: 'Key', response: unverified },
      });
      expect(errorCode(plain.body)).toBe('webauthn_failed');
      expect((await info(browser)).methods.filter((m) => m.kind === 'webauthn')).toHaveLength(0);
    });
  });
});

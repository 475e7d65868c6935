import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminUsers, recoveryCodes as api, session } from '../../../shared/api/index.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { defaultOrgPolicy, orgPolicySchema } from '../../../shared/policy.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { createUser, errorCode, freshBrowser, signIn, stageOf, type TestUser } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { savePolicy } from '../security-info/policy-store.ts';
import { normalizeRecoveryCode, RECOVERY_CODE_ALPHABET } from './service.ts';

type Generated = {
  codes: string[];
  status: { enabled: boolean; remaining: number; total: number; low: boolean; generatedAt: string | null };
};

describe.each(testDatabases)('recovery codes (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());
  beforeEach(async () => savePolicy(t.app.ctx, defaultOrgPolicy));

  async function generated(browser: TestBrowser): Promise<Generated> {
    const res = await browser.call(api.generateRecoveryCodes);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Generated;
  }

  async function atSecondStep(user: TestUser, ip?: string): Promise<TestBrowser> {
    const browser = await freshBrowser(t, ip);
    const res = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(stageOf(res.body)).toBe('second_factor');
    return browser;
  }

  const useCode = (browser: TestBrowser, code: string) => browser.call(api.verifyRecoveryCode, { body: { code } });

  async function mailTo(user: TestUser) {
    await t.app.ctx.mail.flush();
    return t.app.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', `${user.username}@example.test`)
      .orderBy('created_at')
      .execute();
  }

  async function logOf(user: TestUser) {
    return t.app.ctx.db
      .selectFrom('verification_log')
      .select(['event', 'result', 'denial_reason'])
      .where('username', '=', user.username)
      .where('auth_mode', '=', 'recovery_code')
      .execute();
  }

  it('generates ten codes of 50 bits, shown once in groups, kept only as keyed hashes, and e-mails the user', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    expect((await browser.call(api.getRecoveryCodes)).body).toEqual({
      enabled: true,
      remaining: 0,
      total: 10,
      low: true,
      generatedAt: null,
    });
    const { codes, status } = await generated(browser);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect([...code.replace('-', '')].every((c) => RECOVERY_CODE_ALPHABET.includes(c))).toBe(true);
    }
    // 32 symbols, 10 of them: 50 bits.
    expect(Math.log2(RECOVERY_CODE_ALPHABET.length) * 10).toBeGreaterThanOrEqual(50);
    expect(status).toMatchObject({ enabled: true, remaining: 10, low: false });

    const rows = await t.app.ctx.db.selectFrom('recovery_codes').selectAll().execute();
    const stored = JSON.stringify(rows);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
    const mail = await mailTo(user);
    expect(mail.some((m) => m.body.includes('Recovery codes were generated'))).toBe(true);
    expect(mail.every((m) => codes.every((c) => !m.body.includes(c.replace('-', '')) && !m.body.includes(c)))).toBe(true);
    // Nothing in the session's methods: recovery codes are no method.
    const info = (await browser.call(session.getSession)).body as SessionInfo;
    expect(info.state).toMatchObject({ stage: 'signed_in', recoveryCode: true });
  });

  it('signs in with a code at the second step, once; each use is logged and e-mailed with the count left', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { codes } = await generated(await signIn(t, user));
    const code = codes[0]!;

    const browser = await atSecondStep(user);
    expect((await browser.call(session.getSession)).body).toMatchObject({ state: { stage: 'second_factor', recoveryCode: true } });
    // Typed in lower case, without the dash, with O for 0 and l for 1: still the code.
    const typed = code.replace('-', '').toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(normalizeRecoveryCode(typed)).toBe(code.replace('-', ''));
    const res = await useCode(browser, typed);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(stageOf(res.body)).toBe('signed_in');
    expect((await browser.call(api.getRecoveryCodes)).body).toMatchObject({ remaining: 9, low: false });

    // Used: refused the second time.
    const again = await atSecondStep(user);
    const refused = await useCode(again, code);
    expect(refused.status).toBe(400);
    expect(errorCode(refused.body)).toBe('recovery_code_invalid');

    const log = await logOf(user);
    expect(log).toEqual(
      expect.arrayContaining([
        { event: 'security_info.recovery_codes_generated', result: 'success', denial_reason: null },
        { event: 'sign_in.second_factor', result: 'success', denial_reason: null },
        { event: 'sign_in.second_factor', result: 'denied', denial_reason: 'recovery_code_invalid' },
      ]),
    );
    const mail = await mailTo(user);
    const used = mail.filter((m) => m.body.includes('A recovery code was used'));
    expect(used).toHaveLength(1);
    expect(used[0]!.body).toContain('9 codes are left');
  });

  it('re-verifies with a code; regenerating needs a recent verification and replaces the whole set', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const first = await generated(browser);
    // Past the re-verification window: a new set needs a fresh verification.
    t.clock.advance(defaultOrgPolicy.reauthWindowSeconds + 1);
    const stale = await browser.call(api.generateRecoveryCodes);
    expect(errorCode(stale.body)).toBe('reauth_required');
    const reverified = await useCode(browser, first.codes[1]!);
    expect(reverified.status).toBe(200);
    expect((reverified.body as SessionInfo).state).toMatchObject({ stage: 'signed_in' });
    expect((reverified.body as { state: { reauthValidUntil: string | null } }).state.reauthValidUntil).not.toBeNull();
    const second = await generated(browser);
    expect(second.status).toMatchObject({ remaining: 10, low: false });
    // Every code of the old set is gone; the new ones work.
    const old = await atSecondStep(user);
    expect(errorCode((await useCode(old, first.codes[2]!)).body)).toBe('recovery_code_invalid');
    expect(stageOf((await useCode(await atSecondStep(user), second.codes[0]!)).body)).toBe('signed_in');
    expect(await logOf(user)).toEqual(
      expect.arrayContaining([
        { event: 'reauthentication', result: 'success', denial_reason: null },
        { event: 'security_info.recovery_codes_regenerated', result: 'success', denial_reason: null },
      ]),
    );
    const mail = await mailTo(user);
    expect(mail.some((m) => m.body.includes('New recovery codes were generated'))).toBe(true);
  });

  it('warns at 3 or fewer left, and stops being offered when none are left', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const { codes } = await generated(browser);
    for (const [i, code] of codes.entries()) {
      const res = await useCode(await atSecondStep(user), code);
      expect(res.status).toBe(200);
      const status = (await browser.call(api.getRecoveryCodes)).body as Generated['status'];
      expect(status.remaining).toBe(9 - i);
      expect(status.low).toBe(9 - i <= 3);
    }
    const last = await atSecondStep(user);
    expect((await last.call(session.getSession)).body).toMatchObject({ state: { stage: 'second_factor', recoveryCode: false } });
  });

  it('two concurrent uses of one code: exactly one succeeds', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { codes } = await generated(await signIn(t, user));
    const [a, b] = [await atSecondStep(user, '198.51.100.1'), await atSecondStep(user, '198.51.100.2')];
    const results = await Promise.all([useCode(a, codes[0]!), useCode(b, codes[0]!)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(
      (
        await t.app.ctx.db
          .selectFrom('recovery_codes')
          .innerJoin('users', 'users.id', 'recovery_codes.user_id')
          .select('recovery_codes.id')
          .where('users.username', '=', user.username)
          .execute()
      ).length,
    ).toBe(9);
  });

  it('throttles wrong codes like other codes, and an administrator can see it', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { codes } = await generated(await signIn(t, user));
    const browser = await atSecondStep(user);
    for (let i = 0; i < 5; i++) expect(errorCode((await useCode(browser, 'AAAAA-AAAAA')).body)).toBe('recovery_code_invalid');
    const sixth = await useCode(browser, 'AAAAA-AAAAA');
    expect(errorCode(sixth.body)).toBe('too_many_attempts');
    // Even the right code waits.
    expect(errorCode((await useCode(browser, codes[0]!)).body)).toBe('too_many_attempts');
    const admin = await signIn(t, await createUser(t, { withAuthenticator: true, isAdmin: true }));
    const detail = await admin.call(adminUsers.getAdminUser, { params: { username: user.username } });
    expect((detail.body as { lockouts: { scope: string; failures: number }[] }).lockouts).toEqual([
      expect.objectContaining({ scope: 'recovery_code', failures: 5 }),
    ]);
    // The wait after the fifth failure is a few seconds.
    t.clock.advance(60);
    expect(stageOf((await useCode(browser, codes[0]!)).body)).toBe('signed_in');
  });

  it('the policy turns them off: not offered, and a code is refused', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const { codes } = await generated(await signIn(t, user));
    await savePolicy(t.app.ctx, orgPolicySchema.parse({ recoveryCodes: { enabled: false } }));
    const browser = await atSecondStep(user);
    expect((await browser.call(session.getSession)).body).toMatchObject({ state: { recoveryCode: false } });
    expect(errorCode((await useCode(browser, codes[0]!)).body)).toBe('recovery_codes_disabled');
    expect(errorCode((await (await signIn(t, user)).call(api.generateRecoveryCodes)).body)).toBe('recovery_codes_disabled');
  });

  it('are not a method: a user with codes still cannot delete their last usable method', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    await generated(browser);
    const { securityInfo } = await import('../../../shared/api/index.ts');
    const info = (await browser.call(securityInfo.getSecurityInfo)).body as { methods: { id: string }[] };
    expect(info.methods).toHaveLength(1);
    const res = await browser.call(securityInfo.deleteMethod, { params: { methodId: info.methods[0]!.id } });
    expect(errorCode(res.body)).toBe('method_last_usable');
  });
});

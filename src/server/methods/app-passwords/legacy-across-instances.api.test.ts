import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appPasswords } from '../../../shared/api/index.ts';
import { defaultOrgPolicy } from '../../../shared/policy.ts';
import { savePolicy } from '../../core/security-info/policy-store.ts';
import { createUser, signIn, type TestUser } from '../../test-support/flows.ts';
import { startSecondInstance, startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';

/**
 * Each instance answers legacy sign-ins from its own cache and throttle hints
 * (docs/reference.md#caches-across-instances): a change made through one instance
 * must reach the other within a second. Two apps on one database (a shared SQLite
 * file, or one PostgreSQL database), as two processes would be.
 */
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe.each(testDatabases)('legacy sign-in across two instances (%s)', (kind) => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp(kind);
    b = await startSecondInstance(a, kind);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });
  beforeEach(async () => {
    await savePolicy(a.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 5 } });
    // The policy a test may have turned off is back: the other instance starts each test from it,
    // not from what it held a moment ago (its counter check could be up to 250 ms away).
    b.app.ctx.changes.invalidate();
  });

  const legacy = (t: TestApp, user: TestUser, password: string, ip = '198.51.100.30') =>
    t.app.inject({ method: 'GET', url: '/legacy/v1/whoami', headers: basic(user.username, password), remoteAddress: ip });

  /** Asks until the answer is `status`; how long that took, in ms (fails after 3 s). */
  async function msUntil(status: number, ask: () => Promise<{ statusCode: number }>): Promise<number> {
    const start = performance.now();
    while (performance.now() - start < 3_000) {
      if ((await ask()).statusCode === status) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no ${status} within 3 s`);
  }

  async function userWithAppPassword(): Promise<{ user: TestUser; browser: TestBrowser; id: string; password: string }> {
    const user = await createUser(a, { withAuthenticator: true, firstName: 'Ewa' });
    const browser = await signIn(a, user);
    const res = await browser.call(appPasswords.createAppPassword, { body: { name: 'Old Outlook' } });
    expect(res.status).toBe(200);
    const body = res.body as { item: { id: string }; password: string };
    return { user, browser, id: body.item.id, password: body.password };
  }

  it('a deleted app password stops working on the other instance within 1 s', async () => {
    const { user, browser, id, password } = await userWithAppPassword();
    // Both instances now hold the user and the verifier in their caches.
    expect((await legacy(a, user, password)).statusCode).toBe(200);
    expect((await legacy(b, user, password)).statusCode).toBe(200);
    expect((await legacy(b, user, password)).statusCode).toBe(200);

    expect((await browser.call(appPasswords.deleteAppPassword, { params: { appPasswordId: id } })).status).toBe(200);
    // The instance that made the change refuses it at once; the other within a second.
    expect((await legacy(a, user, password)).statusCode).toBe(401);
    expect(await msUntil(401, () => legacy(b, user, password))).toBeLessThan(1_000);
    expect((await legacy(b, user, password)).json()).toEqual({ error: { code: 'invalid_credentials' } });
  });

  it('app passwords turned off by the policy are refused on the other instance within 1 s', async () => {
    const { user, password } = await userWithAppPassword();
    expect((await legacy(b, user, password)).statusCode).toBe(200);

    await savePolicy(a.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: false, maxPerUser: 5 } });
    expect(await msUntil(401, () => legacy(b, user, password))).toBeLessThan(1_000);
    expect((await legacy(b, user, password)).json()).toEqual({ error: { code: 'app_passwords_disabled' } });
  });

  it('a new app password works on the other instance within 1 s, though it holds the user already', async () => {
    const { user, browser, password } = await userWithAppPassword();
    expect((await legacy(b, user, password)).statusCode).toBe(200);
    const second = await browser.call(appPasswords.createAppPassword, { body: { name: 'Phone' } });
    const fresh = (second.body as { password: string }).password;
    expect(await msUntil(200, () => legacy(b, user, fresh))).toBeLessThan(1_000);
  });

  it('failures on one instance throttle the account and IP on the other within 1 s', async () => {
    const { user, password } = await userWithAppPassword();
    const ip = '203.0.113.77';
    // The other instance has seen this account succeed from this IP: nothing hints at failures there.
    expect((await legacy(b, user, password, ip)).statusCode).toBe(200);
    // Ten wrong app passwords on the first instance start the account-and-IP back-off (legacy-throttle.ts).
    for (let i = 0; i < 11; i++) await legacy(a, user, 'abcd efgh ijkl mnop qrst uvwx', ip);
    // Even the right password now waits, on the instance that never saw a failure too.
    expect(await msUntil(429, () => legacy(b, user, password, ip))).toBeLessThan(1_000);
    // Another IP is not held up by this one's failures.
    expect((await legacy(b, user, password, '203.0.113.78')).statusCode).toBe(200);
  });

  it('logs every attempt on both instances, each before its answer', async () => {
    const { user, password } = await userWithAppPassword();
    const ip = '192.0.2.150';
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => legacy(i % 2 === 0 ? a : b, user, i % 4 === 1 ? 'wrongwrongwrongwrongwron' : password, ip)),
    );
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(15);
    const rows = await a.app.ctx.db
      .selectFrom('verification_log')
      .select(['result', 'server_name'])
      .where('client_ip', '=', ip)
      .where('event', '=', 'legacy_sign_in')
      .execute();
    expect(rows.filter((r) => r.result === 'success')).toHaveLength(15);
    expect(rows.filter((r) => r.result === 'denied')).toHaveLength(5);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session } from '../../../shared/api/index.ts';
import { addPhone, createUser, freshBrowser, signIn } from '../../test-support/flows.ts';
import { startTestApp, type TestApp } from '../../test-support/test-app.ts';

const TOKEN = 'metrics-token-for-the-test';

/** One sample's value from the Prometheus text, 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}')).split(',');
    if (wanted.every((w) => inside.includes(w)) && inside.length === wanted.length) return Number(line.split(' ').pop());
  }
  return 0;
}

describe('/metrics', () => {
  let t: TestApp;
  const scrape = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestApp('sqlite', { env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  it('is refused without the token, and with a wrong one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('counts exactly the requests, sign-ins, refusals and deliveries of a scripted run, naming nobody', async () => {
    const before = await scrape();
    const user = await createUser(t, { withAuthenticator: true });

    // Three session reads, then seven wrong passwords from one address: five free, then back-off (429).
    const browser = await freshBrowser(t);
    await browser.call(session.getSession);
    await browser.call(session.getSession);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await browser.call(session.signIn, { body: { username: user.username, password: 'wrong password' } })).status);
    }
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(0);

    // From another address: a TOTP sign-in and a phone added (one SMS through the outbox).
    const signedIn = await signIn(t, user, '198.51.100.7');
    const { e164 } = await addPhone(t, signedIn);

    const text = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(text, name, labels) - sample(before, name, labels);

    expect(delta('secinfo_http_requests_total', { route: '/api/session', method: 'GET', status: '200' })).toBe(4);
    expect(delta('secinfo_http_requests_total', { route: '/api/auth/sign-in', method: 'POST', status: '401' })).toBe(7 - refused);
    expect(delta('secinfo_http_requests_total', { route: '/api/auth/sign-in', method: 'POST', status: '429' })).toBe(refused);
    expect(delta('secinfo_http_requests_total', { route: '/api/auth/sign-in', method: 'POST', status: '200' })).toBe(1);
    expect(delta('secinfo_http_requests_total', { route: '/api/auth/verify/totp', method: 'POST', status: '200' })).toBe(1);
    expect(delta('secinfo_http_request_duration_seconds_count', { route: '/api/session', method: 'GET' })).toBe(4);
    expect(delta('secinfo_throttle_refusals_total', { route: '/api/auth/sign-in' })).toBe(refused);
    expect(delta('secinfo_verifications_total', { event: 'sign_in.password', method: 'password', result: 'denied' })).toBe(7 - refused);
    expect(delta('secinfo_verifications_total', { event: 'sign_in.second_factor', method: 'totp', result: 'success' })).toBe(1);
    expect(delta('secinfo_verifications_total', { event: 'phone.code_sent', method: 'sms', result: 'success' })).toBe(1);
    expect(delta('secinfo_deliveries_total', { channel: 'sms', provider: 'outbox', result: 'sent' })).toBe(1);

    // Label values are patterns, methods and results: never who, or which number.
    expect(text).not.toContain(user.username);
    expect(text).not.toContain(e164.slice(1));
  });
});

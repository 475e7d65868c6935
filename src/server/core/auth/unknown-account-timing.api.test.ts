import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session } from '../../../shared/api/index.ts';
import { createUser, freshBrowser, type TestUser } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';

/**
 * An unknown user name must cost what a known one with a wrong password costs
 * (OWASP ASVS 5.0 V6.3.8; docs/reference.md#constant-work-for-unknown-accounts),
 * or the time of a refusal tells which accounts exist. Compared as a ratio of
 * medians over many tries, the two kinds interleaved, so a busy machine slows
 * both alike; never as an absolute time.
 */
const PAIRS = 30;
const WARM_UP = 3;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

describe.each(testDatabases)('an unknown user name costs what a wrong password costs (%s)', (kind) => {
  let t: TestApp;
  let users: TestUser[];
  let nextIp = 0;
  // A new address for every try, so throttles (5 failures per account and address) never answer early.
  const ip = () => `10.${Math.floor(nextIp / 250) % 250}.${++nextIp % 250}.${kind === 'sqlite' ? 1 : 2}`;

  beforeAll(async () => {
    t = await startTestApp(kind);
    users = [];
    // Enough accounts that none reaches the per-account back-off (20 failures from all addresses).
    for (let i = 0; i < 8; i += 1) users.push(await createUser(t));
  });
  afterAll(async () => t.close());

  async function ratio(attempt: (username: string) => Promise<number>): Promise<number> {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < WARM_UP + PAIRS; i += 1) {
      const existing = users[i % users.length]!.username;
      const missing = `nobody-${kind}-${i}-${Math.random().toString(36).slice(2, 8)}`;
      // Which kind goes first alternates, so a drift in machine load falls on both.
      const order = i % 2 ? ([existing, missing] as const) : ([missing, existing] as const);
      for (const name of order) {
        const ms = await attempt(name);
        if (i >= WARM_UP) (name === existing ? known : unknown).push(ms);
      }
    }
    if (process.env.TIMING_DEBUG) console.log('RATIO', kind, median(unknown), median(known));
    return median(unknown) / median(known);
  }

  it('on the web sign-in', async () => {
    const browser = await freshBrowser(t);
    const r = await ratio(async (username) => {
      const started = process.hrtime.bigint();
      const res = await t.app.inject({
        method: 'POST',
        url: session.signIn.path,
        remoteAddress: ip(),
        headers: { cookie: browser.sessionCookie!, 'x-csrf-token': browser.csrfToken! },
        payload: { username, password: 'Wrong-password-1' },
      });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'invalid_credentials' } });
      return ms;
    });
    expect(r).toBeGreaterThan(0.7);
    expect(r).toBeLessThan(1.4);
  });

  it('on the legacy endpoint', async () => {
    const r = await ratio(async (username) => {
      const started = process.hrtime.bigint();
      const res = await t.app.inject({
        method: 'GET',
        url: '/legacy/v1/whoami',
        remoteAddress: ip(),
        headers: { authorization: `Basic ${Buffer.from(`${username}:Wrong-password-1`).toString('base64')}` },
      });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'invalid_credentials' } });
      return ms;
    });
    expect(r).toBeGreaterThan(0.7);
    expect(r).toBeLessThan(1.4);
  });
});

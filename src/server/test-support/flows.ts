import { expect } from 'vitest';
import { authenticator, dev, phone, session } from '../../shared/api/index.ts';
import type { PhoneDelivery, PhoneKind } from '../../shared/api/phone.ts';
import { totpCode } from '../methods/authenticator/totp.ts';
import type { TestApp } from './test-app.ts';
import { TestBrowser } from './api-client.ts';

export interface TestUser {
  username: string;
  password: string;
  totpSecret?: string;
}

export async function createUser(
  t: TestApp,
  body: { withAuthenticator?: boolean; firstName?: string; lastName?: string; isAdmin?: boolean } = {},
): Promise<TestUser> {
  const res = await new TestBrowser(t.app).call(dev.createTestUser, { body });
  expect(res.status).toBe(200);
  return res.body as TestUser;
}

/** A browser that has fetched its session (and CSRF token), ready to sign in. */
export async function freshBrowser(t: TestApp, ip?: string): Promise<TestBrowser> {
  const browser = new TestBrowser(t.app, ip);
  const res = await browser.call(session.getSession);
  expect(res.status).toBe(200);
  return browser;
}

/** Signs in with password and, when the user has one, the authenticator code. */
export async function signIn(t: TestApp, user: TestUser, ip?: string): Promise<TestBrowser> {
  const browser = await freshBrowser(t, ip);
  const first = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
  expect(first.status).toBe(200);
  if (user.totpSecret) {
    // Each sign-in uses a fresh time step, as a person would.
    t.clock.advance(30);
    const second = await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret, t.clock.now()) } });
    expect(second.status).toBe(200);
  }
  return browser;
}

export function stageOf(body: unknown): string | undefined {
  return (body as { state?: { stage?: string } }).state?.stage;
}

export function errorCode(body: unknown): string | undefined {
  return (body as { error?: { code?: string } }).error?.code;
}

/** The code in the newest message to a number: an SMS carries it as one word, a call script digit by digit. */
export async function lastPhoneCode(t: TestApp, to: string): Promise<string> {
  const row = await t.app.ctx.db
    .selectFrom('outbox')
    .selectAll()
    .where('recipient', '=', to)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const digits = row.channel === 'voice' ? /((?:\d, ){5}\d)/.exec(row.body)?.[1]?.replace(/, /g, '') : /\b(\d{6})\b/.exec(row.body)?.[1];
  if (!digits) throw new Error(`no code in ${row.body}`);
  return digits;
}

let nextNumber = 0;

/** A Polish mobile number no other test of this run uses, so "the newest message to it" is this test's. */
export function uniquePhoneNumber(): { national: string; e164: string } {
  nextNumber += 1;
  const subscriber = String(2_000_000 + nextNumber).padStart(7, '0');
  return { national: `51${subscriber}`, e164: `+4851${subscriber}` };
}

/** Registers a phone through the API (code sent, read from the outbox, confirmed) and returns its method id. */
export async function addPhone(
  t: TestApp,
  browser: TestBrowser,
  options: { phoneKind?: PhoneKind; delivery?: PhoneDelivery; label?: string } = {},
): Promise<{ methodId: string; e164: string }> {
  const number = uniquePhoneNumber();
  const phoneKind = options.phoneKind ?? 'mobile';
  t.clock.advance(1);
  const started = await browser.call(phone.startPhoneSetup, {
    body: { phoneKind, country: 'PL', number: number.national, delivery: options.delivery ?? (phoneKind === 'mobile' ? 'sms' : 'voice') },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const { challengeId } = started.body as { challengeId: string };
  const confirmed = await browser.call(phone.confirmPhoneSetup, {
    body: { challengeId, code: await lastPhoneCode(t, number.e164), label: options.label ?? `${phoneKind} phone` },
  });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return { methodId: (confirmed.body as { method: { id: string } }).method.id, e164: number.e164 };
}

/** Registers an authenticator app through the API and returns its method id and secret. */
export async function addAuthenticator(
  t: TestApp,
  browser: TestBrowser,
  label = 'Authenticator app',
): Promise<{ methodId: string; secret: string }> {
  const setup = await browser.call(authenticator.startAuthenticatorSetup, { body: {} });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const { setupId, secret } = setup.body as { setupId: string; secret: string };
  t.clock.advance(30);
  const confirmed = await browser.call(authenticator.confirmAuthenticatorSetup, {
    body: { setupId, code: totpCode(secret, t.clock.now()), label },
  });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return { methodId: (confirmed.body as { method: { id: string } }).method.id, secret };
}

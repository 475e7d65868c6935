import { expect } from 'vitest';
import { dev, session } from '../../shared/api/index.ts';
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

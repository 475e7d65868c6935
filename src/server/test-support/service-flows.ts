import { authenticator, dev, phone, session } from '../../shared/api/index.ts';
import { totpCode } from '../methods/authenticator/totp.ts';
import { HttpBrowser, type HttpResponse } from './http-browser.ts';

/** A request the server did not answer with success: what it was and what came back (or the network error). */
export interface FailedStep {
  step: string;
  status: number | 'network';
  body: unknown;
  /** When the answer (or the error) came. */
  at: number;
}

/** What one user's session achieved: the methods the server acknowledged, and any step that failed. */
export interface UserRun {
  username: string;
  /** Method ids the server confirmed with 200: acknowledged writes. */
  acknowledged: { authenticator?: string; phone?: string };
  failed?: FailedStep;
}

class StepFailed extends Error {
  constructor(readonly failure: FailedStep) {
    super(`${failure.step}: ${failure.status}`);
  }
}

async function step(name: string, call: () => Promise<HttpResponse>): Promise<Record<string, unknown>> {
  let res: HttpResponse;
  try {
    res = await call();
  } catch (error) {
    throw new StepFailed({ step: name, status: 'network', body: String(error), at: Date.now() });
  }
  if (res.status !== 200) throw new StepFailed({ step: name, status: res.status, body: res.body, at: Date.now() });
  return res.body as Record<string, unknown>;
}

/** A user for the run, made through the dev API (not in production). */
export async function createUserOver(
  origin: string,
  withAuthenticator = false,
): Promise<{ username: string; password: string; totpSecret?: string }> {
  const body = await step('create user', () => new HttpBrowser(origin).call(dev.createTestUser, { body: { withAuthenticator } }));
  return body as { username: string; password: string; totpSecret?: string };
}

/**
 * A new user signs in and registers an authenticator app and a mobile phone,
 * as the client would, every request through `origin` (nginx). The SMS code is
 * read from the outbox, which every instance writes to the shared database.
 */
export async function registerMethodsOver(
  origin: string,
  user: { username: string; password: string },
  e164National: string,
  e164: string,
): Promise<UserRun> {
  const run: UserRun = { username: user.username, acknowledged: {} };
  const browser = new HttpBrowser(origin);
  try {
    await step('session', () => browser.call(session.getSession));
    await step('sign in', () => browser.call(session.signIn, { body: { username: user.username, password: user.password } }));
    const setup = await step('authenticator setup', () => browser.call(authenticator.startAuthenticatorSetup, { body: {} }));
    const { setupId, secret } = setup as { setupId: string; secret: string };
    const added = await step('authenticator confirm', () =>
      browser.call(authenticator.confirmAuthenticatorSetup, {
        body: { setupId, code: totpCode(secret, Date.now()), label: 'Authenticator app' },
      }),
    );
    run.acknowledged.authenticator = (added as { method: { id: string } }).method.id;
    const started = await step('phone setup', () =>
      browser.call(phone.startPhoneSetup, { body: { phoneKind: 'mobile', country: 'PL', number: e164National, delivery: 'sms' } }),
    );
    const outbox = await step('outbox', () => browser.call(dev.readOutbox, { query: { to: e164, channel: 'sms', limit: 1 } }));
    const message = (outbox as { messages: Array<{ body: string }> }).messages[0];
    const code = message && /\b(\d{6})\b/.exec(message.body)?.[1];
    if (!code) throw new StepFailed({ step: 'outbox', status: 200, body: outbox, at: Date.now() });
    const confirmed = await step('phone confirm', () =>
      browser.call(phone.confirmPhoneSetup, {
        body: { challengeId: (started as { challengeId: string }).challengeId, code, label: 'Mobile' },
      }),
    );
    run.acknowledged.phone = (confirmed as { method: { id: string } }).method.id;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    run.failed = error.failure;
  }
  return run;
}

/** A TOTP sign-in (password, then the app's code) through `origin`; resolves to whether it succeeded. */
export async function totpSignInOver(
  origin: string,
  user: { username: string; password: string; totpSecret: string },
  atMs: number,
): Promise<boolean> {
  const browser = new HttpBrowser(origin);
  try {
    await step('session', () => browser.call(session.getSession));
    await step('sign in', () => browser.call(session.signIn, { body: { username: user.username, password: user.password } }));
    await step('totp', () => browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret, atMs) } }));
    return true;
  } catch (error) {
    if (error instanceof StepFailed) return false;
    throw error;
  }
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function withConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityInfo, session, webauthn } from '../../../shared/api/index.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { createUser, errorCode, freshBrowser, signIn, stageOf } from '../../test-support/flows.ts';
import { startSecondInstance, startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { SoftAuthenticator } from './test-support/soft-authenticator.ts';

const ORIGIN = 'http://localhost:8080';
const RP_ID = 'localhost';
const GOOGLE_PASSWORD_MANAGER = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';

type Ceremony = {
  challengeId: string;
  options: {
    challenge: string;
    user?: { id: string };
    excludeCredentials?: Array<{ id: string }>;
    allowCredentials?: Array<{ id: string }>;
  };
};

async function registerPasskey(browser: TestBrowser, authenticator: SoftAuthenticator, fallbackLabel = 'Security key') {
  const start = (await browser.call(webauthn.startWebAuthnRegistration, { body: {} })).body as Ceremony;
  const response = authenticator.createCredential({
    challenge: start.options.challenge,
    rpId: RP_ID,
    origin: ORIGIN,
    userHandle: start.options.user!.id,
    residentKey: true,
  });
  const res = await browser.call(webauthn.finishWebAuthnRegistration, {
    body: { challengeId: start.challengeId, fallbackLabel, response },
  });
  return { start, response, res };
}

describe.each(testDatabases)('security keys and passkeys (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('registers a passkey named after its AAGUID, and refuses to register it twice', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const passkey = new SoftAuthenticator({ aaguid: GOOGLE_PASSWORD_MANAGER, backupEligible: true, attachment: 'platform' });
    const { start, response, res } = await registerPasskey(browser, passkey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: { kind: 'webauthn', label: 'Google Password Manager' } });
    expect(start.options).toMatchObject({
      rp: { id: RP_ID },
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });

    // Replaying the same response: the challenge was used up.
    const replay = await browser.call(webauthn.finishWebAuthnRegistration, {
      body: { challengeId: start.challengeId, fallbackLabel: 'x', response },
    });
    expect(errorCode(replay.body)).toBe('setup_expired');

    // The next ceremony excludes it, so the browser refuses to create it again.
    const next = (await browser.call(webauthn.startWebAuthnRegistration, { body: {} })).body as Ceremony;
    expect(next.options.excludeCredentials?.map((c) => c.id)).toEqual([response.id]);

    const unknownModel = await registerPasskey(browser, new SoftAuthenticator(), 'Security key');
    expect(unknownModel.res.body).toMatchObject({ method: { label: 'Security key' } });
  });

  it('signs in with a key as the second step', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const key = new SoftAuthenticator();
    await registerPasskey(await signIn(t, user), key);

    const browser = await freshBrowser(t);
    const first = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(first.body).toMatchObject({
      state: { stage: 'second_factor', options: expect.arrayContaining([expect.objectContaining({ kind: 'webauthn' })]) },
    });
    const start = (await browser.call(webauthn.startWebAuthnVerification, { body: {} })).body as Ceremony;
    expect(start.options.allowCredentials?.map((c) => c.id)).toEqual([key.credentials()[0]!.id]);
    const response = key.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
    const done = await browser.call(webauthn.finishWebAuthnVerification, { body: { challengeId: start.challengeId, response } });
    expect(stageOf(done.body)).toBe('signed_in');
    const activity = JSON.stringify((await browser.call(securityInfo.getActivity, { query: {} })).body);
    expect(activity).toContain(key.credentials()[0]!.id);
  });

  it('signs in passwordless with a discoverable passkey, on another instance too', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const passkey = new SoftAuthenticator({ signCounter: false });
    await registerPasskey(await signIn(t, user), passkey);

    const second = await startSecondInstance(t, kind);
    try {
      const browser = await freshBrowser(t);
      const start = (await browser.call(webauthn.startPasskeySignIn, { body: {} })).body as Ceremony;
      expect(start.options.allowCredentials ?? []).toEqual([]);
      const response = passkey.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
      expect(response.response.userHandle).toBeDefined();
      // The ceremony began on one instance and finishes on the other (same cookie, same database).
      const res = await second.app.inject({
        method: 'POST',
        url: '/api/auth/passkey/verify',
        headers: { cookie: browser.sessionCookie!, 'x-csrf-token': browser.csrfToken!, 'content-type': 'application/json' },
        payload: { challengeId: start.challengeId, response },
        remoteAddress: browser.ip,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ state: { stage: 'signed_in', user: { username: user.username } } });
    } finally {
      await second.close();
    }
  });

  it('refuses a wrong origin, a wrong RP ID, a replayed challenge and a counter that goes backwards', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const key = new SoftAuthenticator();
    await registerPasskey(await signIn(t, user), key);
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: user.username, password: user.password } });

    const attempt = async (input: { origin?: string; rpId?: string; counterOverride?: number }) => {
      const start = (await browser.call(webauthn.startWebAuthnVerification, { body: {} })).body as Ceremony;
      const response = key.getAssertion({
        challenge: start.options.challenge,
        rpId: input.rpId ?? RP_ID,
        origin: input.origin ?? ORIGIN,
        ...(input.counterOverride !== undefined ? { counterOverride: input.counterOverride } : {}),
      });
      return {
        start,
        response,
        res: await browser.call(webauthn.finishWebAuthnVerification, { body: { challengeId: start.challengeId, response } }),
      };
    };
    expect(errorCode((await attempt({ origin: 'http://evil.example' })).res.body)).toBe('webauthn_failed');
    expect(errorCode((await attempt({ rpId: 'evil.example' })).res.body)).toBe('webauthn_failed');

    const good = await attempt({});
    expect(good.res.status).toBe(200);
    // The same signed response again, with its (spent) challenge.
    const replay = await browser.call(webauthn.finishWebAuthnVerification, {
      body: { challengeId: good.start.challengeId, response: good.response },
    });
    expect(errorCode(replay.body)).toBe('setup_expired');

    // Counter 1 was used by the good sign-in; a cloned key would report an older value.
    expect(errorCode((await attempt({ counterOverride: 1 })).res.body)).toBe('webauthn_failed');
    const log = await t.app.ctx.db.selectFrom('verification_log').select('denial_reason').where('auth_mode', '=', 'webauthn').execute();
    expect(log.map((l) => l.denial_reason)).toContain('counter_regression');
  });

  it('will not verify one user with another user’s key', async () => {
    const owner = await createUser(t, { withAuthenticator: true });
    const key = new SoftAuthenticator();
    await registerPasskey(await signIn(t, owner), key);
    const other = await createUser(t, { withAuthenticator: true });
    const otherKey = new SoftAuthenticator();
    await registerPasskey(await signIn(t, other), otherKey);
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: other.username, password: other.password } });
    const start = (await browser.call(webauthn.startWebAuthnVerification, { body: {} })).body as Ceremony;
    const response = key.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
    const res = await browser.call(webauthn.finishWebAuthnVerification, { body: { challengeId: start.challengeId, response } });
    expect(errorCode(res.body)).toBe('webauthn_unknown_credential');
  });

  it('deletes a key with its credential', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const key = new SoftAuthenticator();
    const { res } = await registerPasskey(browser, key);
    const methodId = (res.body as { method: { id: string } }).method.id;
    const after = await browser.call(securityInfo.deleteMethod, { params: { methodId } });
    expect((after.body as SecurityInfo).methods.map((m) => m.kind)).toEqual(['authenticator']);
    const rows = await t.app.ctx.db
      .selectFrom('webauthn_credentials')
      .select('credential_id')
      .where('credential_id', '=', key.credentials()[0]!.id)
      .execute();
    expect(rows).toEqual([]);
  });
});

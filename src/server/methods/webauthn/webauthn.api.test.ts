import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dev, securityInfo, session, webauthn } from '../../../shared/api/index.ts';
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

async function registerPasskey(
  browser: TestBrowser,
  authenticator: SoftAuthenticator,
  fallbackLabel = 'Security key',
  client: { origin?: string; rpId?: string; residentKey?: boolean } = {},
) {
  const start = (await browser.call(webauthn.startWebAuthnRegistration, { body: {} })).body as Ceremony;
  const response = authenticator.createCredential({
    challenge: start.options.challenge,
    rpId: client.rpId ?? RP_ID,
    origin: client.origin ?? ORIGIN,
    userHandle: start.options.user!.id,
    residentKey: client.residentKey ?? true,
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
    expect(errorCode(replay.body)).toBe('webauthn_expired');

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
    expect(errorCode(replay.body)).toBe('webauthn_expired');

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

  const methodCount = async (username: string) =>
    Number(
      (
        await t.app.ctx.db
          .selectFrom('methods')
          .innerJoin('users', 'users.id', 'methods.user_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('users.username', '=', username)
          .where('methods.kind', '=', 'webauthn')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const logOf = async (username: string) =>
    t.app.ctx.db
      .selectFrom('verification_log')
      .select(['event', 'result', 'denial_reason', 'device_token', 'auth_mode', 'client_ip', 'server_name'])
      .where('username', '=', username)
      .where('auth_mode', '=', 'webauthn')
      .orderBy('at', 'asc')
      .execute();

  it('refuses to register a key made for another origin or RP ID, or without user verification, and saves nothing', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const phished = await registerPasskey(browser, new SoftAuthenticator(), 'Security key', { origin: 'https://login.evil.example' });
    expect(phished.res.status).toBe(400);
    expect(errorCode(phished.res.body)).toBe('webauthn_failed');
    const otherRp = await registerPasskey(browser, new SoftAuthenticator(), 'Security key', { rpId: 'evil.example' });
    expect(errorCode(otherRp.res.body)).toBe('webauthn_failed');
    // userVerification "required" (WebAuthn L3 §7.1 step 16): a key that only tests presence is not enough.
    const presenceOnly = await registerPasskey(browser, new SoftAuthenticator({ userVerification: false }));
    expect(errorCode(presenceOnly.res.body)).toBe('webauthn_failed');
    expect(await methodCount(user.username)).toBe(0);
    const log = await logOf(user.username);
    expect(log.map((l) => [l.event, l.result, l.denial_reason])).toEqual([
      ['security_info.method_added', 'denied', 'verification_failed'],
      ['security_info.method_added', 'denied', 'verification_failed'],
      ['security_info.method_added', 'denied', 'verification_failed'],
    ]);
    // Written at one instant of the test clock: their order among themselves is not defined.
    expect(log.map((l) => l.device_token).sort()).toEqual([phished.response.id, otherRp.response.id, presenceOnly.response.id].sort());
  });

  it('lets a registration challenge expire after five minutes', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const start = (await browser.call(webauthn.startWebAuthnRegistration, { body: {} })).body as Ceremony;
    const response = new SoftAuthenticator().createCredential({
      challenge: start.options.challenge,
      rpId: RP_ID,
      origin: ORIGIN,
      userHandle: start.options.user!.id,
    });
    t.clock.advance(5 * 60 + 1);
    const late = await browser.call(webauthn.finishWebAuthnRegistration, {
      body: { challengeId: start.challengeId, fallbackLabel: 'Security key', response },
    });
    expect(late.status).toBe(410);
    expect(errorCode(late.body)).toBe('webauthn_expired');
    expect(await methodCount(user.username)).toBe(0);
  });

  it('refuses a credential ID registered before, to anyone, and the database holds them unique', async () => {
    const first = await createUser(t, { withAuthenticator: true });
    const firstKey = new SoftAuthenticator();
    const registered = await registerPasskey(await signIn(t, first), firstKey);
    expect(registered.res.status).toBe(200);

    // A client that ignores excludeCredentials (or a key shared between accounts)
    // presents a credential ID the server already knows; here the stored row is
    // made to collide with the one the second ceremony creates.
    const second = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, second);
    const start = (await browser.call(webauthn.startWebAuthnRegistration, { body: {} })).body as Ceremony;
    const response = new SoftAuthenticator().createCredential({
      challenge: start.options.challenge,
      rpId: RP_ID,
      origin: ORIGIN,
      userHandle: start.options.user!.id,
    });
    await t.app.ctx.db
      .updateTable('webauthn_credentials')
      .set({ credential_id: response.id })
      .where('credential_id', '=', registered.response.id)
      .execute();
    const duplicate = await browser.call(webauthn.finishWebAuthnRegistration, {
      body: { challengeId: start.challengeId, fallbackLabel: 'Security key', response },
    });
    expect(duplicate.status).toBe(409);
    expect(errorCode(duplicate.body)).toBe('webauthn_already_registered');
    expect(await methodCount(second.username)).toBe(0);
    expect((await logOf(second.username)).map((l) => l.denial_reason)).toEqual(['already_registered']);

    const stored = await t.app.ctx.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('credential_id', '=', response.id)
      .executeTakeFirstOrThrow();
    await expect(
      t.app.ctx.db
        .insertInto('webauthn_credentials')
        .values({ ...stored, method_id: (registered.res.body as { method: { id: string } }).method.id + 'x' })
        .execute(),
    ).rejects.toThrow();
  });

  it('re-verifies a signed-in user with a key before a change', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const key = new SoftAuthenticator();
    const { res } = await registerPasskey(browser, key);
    const methodId = (res.body as { method: { id: string } }).method.id;
    t.clock.advance(11 * 60);
    const refused = await browser.call(securityInfo.renameMethod, { params: { methodId }, body: { label: 'Desk key' } });
    expect(errorCode(refused.body)).toBe('reauth_required');

    const start = (await browser.call(webauthn.startWebAuthnVerification, { body: {} })).body as Ceremony;
    const response = key.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
    const verified = await browser.call(webauthn.finishWebAuthnVerification, { body: { challengeId: start.challengeId, response } });
    expect(verified.body).toMatchObject({ state: { stage: 'signed_in', reauthValidUntil: expect.any(String) } });
    const usedAt = new Date(t.clock.now()).toISOString();
    t.clock.advance(1);
    const renamed = await browser.call(securityInfo.renameMethod, { params: { methodId }, body: { label: 'Desk key' } });
    expect(renamed.status).toBe(200);
    expect((renamed.body as SecurityInfo).methods.find((m) => m.id === methodId)).toMatchObject({
      label: 'Desk key',
      lastUsedAt: usedAt,
    });

    // Every record carries the FACTS fields; the device token is the credential ID.
    const log = await logOf(user.username);
    expect(log.map((l) => [l.event, l.result])).toEqual([
      ['security_info.method_added', 'success'],
      ['reauthentication', 'success'],
      ['security_info.method_renamed', 'success'],
    ]);
    for (const entry of log) {
      expect(entry).toMatchObject({ device_token: key.credentials()[0]!.id, client_ip: browser.ip, server_name: t.config.serverName });
    }
  });

  it('passwordless: refuses a response without the user handle, another session’s challenge, and a key without user verification', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const serverSideKey = new SoftAuthenticator();
    await registerPasskey(await signIn(t, user), serverSideKey, 'Security key', { residentKey: false });

    const browser = await freshBrowser(t);
    let start = (await browser.call(webauthn.startPasskeySignIn, { body: {} })).body as Ceremony;
    const noHandle = serverSideKey.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
    expect(noHandle.response.userHandle).toBeUndefined();
    const refused = await browser.call(webauthn.finishPasskeySignIn, { body: { challengeId: start.challengeId, response: noHandle } });
    expect(errorCode(refused.body)).toBe('webauthn_failed');
    expect(stageOf((await browser.call(session.getSession)).body)).toBe('anonymous');

    // A challenge belongs to the session that asked for it.
    const passkey = new SoftAuthenticator({ signCounter: false });
    await registerPasskey(await signIn(t, user), passkey);
    const other = await freshBrowser(t);
    start = (await other.call(webauthn.startPasskeySignIn, { body: {} })).body as Ceremony;
    const stolen = passkey.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
    const wrongSession = await browser.call(webauthn.finishPasskeySignIn, { body: { challengeId: start.challengeId, response: stolen } });
    expect(errorCode(wrongSession.body)).toBe('webauthn_expired');
    // ...and is not spent by the wrong session's attempt.
    const rightSession = await other.call(webauthn.finishPasskeySignIn, { body: { challengeId: start.challengeId, response: stolen } });
    expect(stageOf(rightSession.body)).toBe('signed_in');

    // An unknown credential (even an absurdly long ID) is a coded 400 on both databases.
    start = (await browser.call(webauthn.startPasskeySignIn, { body: {} })).body as Ceremony;
    const unknown = passkey.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
    const longId = 'A'.repeat(1364);
    const res = await browser.call(webauthn.finishPasskeySignIn, {
      body: { challengeId: start.challengeId, response: { ...unknown, id: longId, rawId: longId } },
    });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('webauthn_unknown_credential');
  });

  it('lets only one of two simultaneous assertions with the same counter through (a cloned key racing)', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const key = new SoftAuthenticator();
    await registerPasskey(await signIn(t, user), key);
    const browsers = [await freshBrowser(t), await freshBrowser(t)];
    const attempts = await Promise.all(
      browsers.map(async (b) => {
        const start = (await b.call(webauthn.startPasskeySignIn, { body: {} })).body as Ceremony;
        return {
          b,
          start,
          response: key.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN, counterOverride: 7 }),
        };
      }),
    );
    const results = await Promise.all(
      attempts.map(({ b, start, response }) =>
        b.call(webauthn.finishPasskeySignIn, { body: { challengeId: start.challengeId, response } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect((await logOf(user.username)).map((l) => l.denial_reason)).toContain('counter_regression');
  });

  it('passwordless sign-in lands in the registration interruption when one applies', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const passkey = new SoftAuthenticator();
    await registerPasskey(await signIn(t, user), passkey);
    await t.app.ctx.db.updateTable('users').set({ reregister_reason: 'admin_reset' }).where('username', '=', user.username).execute();

    const browser = await freshBrowser(t);
    const start = (await browser.call(webauthn.startPasskeySignIn, { body: {} })).body as Ceremony;
    const response = passkey.getAssertion({ challenge: start.options.challenge, rpId: RP_ID, origin: ORIGIN });
    const res = await browser.call(webauthn.finishPasskeySignIn, { body: { challengeId: start.challengeId, response } });
    expect(res.body).toMatchObject({ state: { stage: 'registration', reason: 'admin_reset' } });
    // Both factors were proved: security info may change at once, without another verification.
    const add = await browser.call(webauthn.startWebAuthnRegistration, { body: {} });
    expect(add.status).toBe(200);
    expect(await logOf(user.username)).toContainEqual(
      expect.objectContaining({ event: 'sign_in.passkey', result: 'success', device_token: response.id }),
    );
  });

  it('logs the credential ID when a key is deleted, and tells the user', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    const key = new SoftAuthenticator();
    const { res } = await registerPasskey(browser, key);
    const methodId = (res.body as { method: { id: string } }).method.id;
    expect((await browser.call(securityInfo.deleteMethod, { params: { methodId } })).status).toBe(200);
    expect(await logOf(user.username)).toContainEqual(
      expect.objectContaining({ event: 'security_info.method_deleted', device_token: key.credentials()[0]!.id }),
    );
    const mail = await browser.call(dev.readOutbox, { query: { to: `${user.username}@example.test` } });
    expect(JSON.stringify(mail.body)).toContain('deleted');
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  admin,
  adminLog,
  adminUsers,
  allEndpoints,
  appPasswords,
  dev,
  hardwareToken,
  securityInfo,
  session,
  temporaryAccessPass,
} from '../../shared/api/index.ts';
import type { EndpointDef, EndpointInput } from '../../shared/endpoint.ts';
import { defaultOrgPolicy, type OrgPolicy } from '../../shared/policy.ts';
import { newId } from '../core/crypto/random.ts';
import { savePolicy } from '../core/security-info/policy-store.ts';
import { totpCode } from '../methods/authenticator/totp.ts';
import type { TestBrowser } from '../test-support/api-client.ts';
import { createUser, errorCode, freshBrowser, signIn, stageOf, type TestUser } from '../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../test-support/test-app.ts';

type PhoneKind = 'mobile' | 'alternate' | 'office';

/** A method row written straight into the tables, for counting: these tests never sign in with them. */
async function addMethod(
  t: TestApp,
  username: string,
  kind: 'phone' | 'webauthn',
  options: { phoneKind?: PhoneKind; asDefault?: boolean } = {},
) {
  const user = await t.app.ctx.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const id = newId();
  await t.app.ctx.db
    .insertInto('methods')
    .values({ id, user_id: user.id, kind, label: kind, created_at: t.clock.now(), last_used_at: null })
    .execute();
  if (kind === 'phone') {
    await t.app.ctx.db
      .insertInto('phones')
      .values({ method_id: id, user_id: user.id, phone_kind: options.phoneKind ?? 'mobile', e164: '+48601234567', extension: null })
      .execute();
  }
  if (options.asDefault) await t.app.ctx.db.updateTable('users').set({ default_method_id: id }).where('id', '=', user.id).execute();
  return id;
}

const withPolicy = (change: (p: OrgPolicy) => void): OrgPolicy => {
  const p = structuredClone(defaultOrgPolicy);
  change(p);
  return p;
};

async function outboxOf(browser: TestBrowser, user: TestUser): Promise<string> {
  return JSON.stringify((await browser.call(dev.readOutbox, { query: { to: `${user.username}@example.test` } })).body);
}

async function logOf(t: TestApp, username: string) {
  return t.app.ctx.db.selectFrom('verification_log').selectAll().where('username', '=', username).orderBy('at', 'asc').execute();
}

describe.each(testDatabases)('admin: the policy and what turning things off means (%s)', (kind) => {
  let t: TestApp;
  let adminUser: TestUser;
  let adminBrowser: TestBrowser;
  beforeAll(async () => {
    t = await startTestApp(kind);
    adminUser = await createUser(t, { withAuthenticator: true, isAdmin: true });
    // The other users: an app only; an app and a mobile (default); an office phone only; an alternate phone (default) and a key.
    await createUser(t, { withAuthenticator: true });
    const both = await createUser(t, { withAuthenticator: true });
    await addMethod(t, both.username, 'phone', { phoneKind: 'mobile', asDefault: true });
    const office = await createUser(t);
    await addMethod(t, office.username, 'phone', { phoneKind: 'office', asDefault: true });
    const alternate = await createUser(t);
    await addMethod(t, alternate.username, 'phone', { phoneKind: 'alternate', asDefault: true });
    await addMethod(t, alternate.username, 'webauthn');
    adminBrowser = await signIn(t, adminUser);
  });
  afterAll(async () => t.close());

  const preview = async (policy: OrgPolicy) => {
    const res = await adminBrowser.call(admin.previewOrgPolicy, { body: policy });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('counts, per kind or phone option turned off, the users with it as default and those left with nothing', async () => {
    expect(await preview(defaultOrgPolicy)).toEqual({ turnedOff: [], leftWithoutMethod: 0, locksOutYou: false });
    expect(await preview(withPolicy((p) => (p.enabledMethods.authenticator = false)))).toEqual({
      turnedOff: [{ switch: 'authenticator', defaultUsers: 2, users: 3, leftWithoutMethod: 2 }],
      leftWithoutMethod: 2,
      locksOutYou: true,
    });
    // Without calls, alternate and office phones cannot get a code; a mobile still gets texts.
    expect(await preview(withPolicy((p) => (p.phoneOptions.voice = false)))).toEqual({
      turnedOff: [{ switch: 'phone.voice', defaultUsers: 3, users: 3, leftWithoutMethod: 1 }],
      leftWithoutMethod: 1,
      locksOutYou: false,
    });
    expect(await preview(withPolicy((p) => (p.phoneOptions.sms = false)))).toMatchObject({
      turnedOff: [{ switch: 'phone.sms', defaultUsers: 1, users: 1, leftWithoutMethod: 0 }],
      leftWithoutMethod: 0,
    });
    expect(await preview(withPolicy((p) => (p.phoneOptions.office = false)))).toMatchObject({
      turnedOff: [{ switch: 'phone.office', defaultUsers: 1, users: 1, leftWithoutMethod: 1 }],
    });
    expect(
      await preview(
        withPolicy((p) => {
          p.enabledMethods.phone = false;
          p.enabledMethods.webauthn = false;
        }),
      ),
    ).toEqual({
      turnedOff: [
        { switch: 'phone', defaultUsers: 3, users: 3, leftWithoutMethod: 2 },
        { switch: 'webauthn', defaultUsers: 0, users: 1, leftWithoutMethod: 1 },
      ],
      leftWithoutMethod: 2,
      locksOutYou: false,
    });
  });

  it('refuses a policy that turns off the administrator’s own last usable method, and changes nothing', async () => {
    const res = await adminBrowser.call(admin.setOrgPolicy, { body: withPolicy((p) => (p.enabledMethods.authenticator = false)) });
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe('policy_locks_out_admin');
    expect((await adminBrowser.call(admin.getOrgPolicy)).body).toEqual(defaultOrgPolicy);
  });

  it('refuses out-of-range values with the fields named, and changes nothing', async () => {
    const res = await adminBrowser.raw({
      method: 'PUT',
      url: admin.setOrgPolicy.path,
      headers: { 'x-csrf-token': adminBrowser.csrfToken! },
      payload: {
        ...defaultOrgPolicy,
        codeLifetimeSeconds: 5,
        sendLimit: { count: 0, windowSeconds: 300 },
        registration: { methodsRequired: 3 },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_input' } });
    const paths = (res.body as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.codeLifetimeSeconds', 'body.sendLimit.count', 'body.registration.methodsRequired']),
    );
    expect((await adminBrowser.call(admin.getOrgPolicy)).body).toEqual(defaultOrgPolicy);
  });

  it('saves a change that leaves the administrator a method, and logs it', async () => {
    const next = withPolicy((p) => {
      p.phoneOptions.office = false;
      p.temporaryAccessPass.defaultLifetimeMinutes = 120;
      p.registration.methodsRequired = 2;
    });
    const res = await adminBrowser.call(admin.setOrgPolicy, { body: next });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(next);
    expect((await logOf(t, adminUser.username)).map((l) => l.event)).toContain('admin.policy_changed');
    await savePolicy(t.app.ctx, defaultOrgPolicy);
  });
});

describe.each(testDatabases)('admin: users (%s)', (kind) => {
  let t: TestApp;
  let adminUser: TestUser;
  let adminBrowser: TestBrowser;
  beforeAll(async () => {
    t = await startTestApp(kind);
    adminUser = await createUser(t, { withAuthenticator: true, isAdmin: true });
  });
  afterAll(async () => t.close());
  // Each test signs the administrator in afresh, so changes fall within the re-verification window.
  beforeEach(async () => {
    adminBrowser = await signIn(t, adminUser);
  });

  const search = async (query: { q?: string; after?: string; before?: string; limit?: string }) => {
    const res = await adminBrowser.call(adminUsers.searchUsers, { query });
    expect(res.status).toBe(200);
    return res.body as { users: { username: string; displayName: string }[]; next: string | null; previous: string | null };
  };

  /** One request to every admin endpoint about `someone`, typed by the endpoint it goes to. */
  const everyAdminRequest = (someone: TestUser) => {
    const ask = <E extends EndpointDef>(endpoint: E, input: EndpointInput<E>) => ({
      endpoint,
      send: (b: TestBrowser) => b.call(endpoint, input),
    });
    return [
      ask(admin.getOrgPolicy, {}),
      ask(admin.setOrgPolicy, { body: defaultOrgPolicy }),
      ask(admin.previewOrgPolicy, { body: defaultOrgPolicy }),
      ask(admin.adminDeleteAppPasswords, { params: { username: someone.username } }),
      ask(adminUsers.searchUsers, { query: { q: 'a' } }),
      ask(adminUsers.getAdminUser, { params: { username: someone.username } }),
      ask(adminUsers.requireReregistration, { params: { username: someone.username }, body: { mode: 'now' } }),
      ask(adminUsers.requirePasswordChange, { params: { username: someone.username } }),
      ask(adminUsers.revokeUserSessions, { params: { username: someone.username } }),
      ask(adminUsers.unlockUser, { params: { username: someone.username } }),
      ask(adminUsers.clearNeedsReview, { params: { username: someone.username } }),
      ask(adminLog.getVerificationLog, { query: {} }),
      ask(adminLog.exportVerificationLog, { query: {} }),
      ask(temporaryAccessPass.issueTemporaryAccessPass, { params: { username: someone.username }, body: {} }),
      ask(temporaryAccessPass.getTemporaryAccessPass, { params: { username: someone.username } }),
      ask(temporaryAccessPass.revokeTemporaryAccessPass, { params: { username: someone.username } }),
      // A method kind's admin endpoints (hardware tokens), mounted from the kind's module.
      ask(hardwareToken.previewTokenImport, { body: { format: 'csv', content: 'upn' } }),
      ask(hardwareToken.commitTokenImport, { body: { format: 'csv', content: 'upn' } }),
      ask(hardwareToken.listHardwareTokens, { query: {} }),
      ask(hardwareToken.assignHardwareToken, { params: { tokenId: 'no-token' }, body: { username: someone.username } }),
      ask(hardwareToken.unassignHardwareToken, { params: { tokenId: 'no-token' } }),
      ask(hardwareToken.deleteHardwareToken, { params: { tokenId: 'no-token' } }),
    ];
  };
  const named = (e: EndpointDef) => `${e.method} ${e.path}`;

  it('lists every admin endpoint in the checks below', () => {
    const listed = everyAdminRequest(adminUser).map((r) => named(r.endpoint));
    expect(listed.sort()).toEqual(
      allEndpoints
        .filter((e) => e.path.startsWith('/api/admin/'))
        .map(named)
        .sort(),
    );
  });

  it('refuses signed-out visitors (401) and users who are not administrators (403) on every admin endpoint', async () => {
    const someone = await createUser(t, { withAuthenticator: true });
    const anonymous = await freshBrowser(t);
    const plain = await signIn(t, someone);
    for (const { endpoint, send } of everyAdminRequest(someone)) {
      const name = named(endpoint);
      expect((await send(anonymous)).status, name).toBe(401);
      const refused = await send(plain);
      expect(refused.status, name).toBe(403);
      expect(errorCode(refused.body), name).toBe('forbidden');
    }
    // Nothing happened to the user.
    expect(((await plain.call(securityInfo.getSecurityInfo)).body as { methods: unknown[] }).methods).toHaveLength(1);
  });

  it('needs a recent verification on every admin endpoint, reads included, and changes nothing without it', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const stale = await signIn(t, adminUser);
    t.clock.advance(defaultOrgPolicy.reauthWindowSeconds + 1);
    for (const { endpoint, send } of everyAdminRequest(user)) {
      const res = await send(stale);
      expect(res.status, named(endpoint)).toBe(403);
      expect(errorCode(res.body), named(endpoint)).toBe('reauth_required');
    }
    const userBrowser = await signIn(t, user);
    expect(((await userBrowser.call(securityInfo.getSecurityInfo)).body as { methods: unknown[] }).methods).toHaveLength(1);
    // Verifying again opens the admin area once more.
    t.clock.advance(30);
    const again = await stale.call(session.verifyTotp, { body: { code: totpCode(adminUser.totpSecret!, t.clock.now()) } });
    expect(again.status).toBe(200);
    expect((await stale.call(adminUsers.getAdminUser, { params: { username: user.username } })).status).toBe(200);
  });

  it('answers 404 for an unknown user', async () => {
    const fresh = await signIn(t, adminUser);
    for (const missing of [
      await fresh.call(adminUsers.getAdminUser, { params: { username: 'nobody-here' } }),
      await fresh.call(adminUsers.unlockUser, { params: { username: 'nobody-here' } }),
    ]) {
      expect(missing.status).toBe(404);
      expect(errorCode(missing.body)).toBe('not_found');
    }
  });

  it('finds users by the start of their first or last name, user name or e-mail, in any case', async () => {
    const tag = `Qz${newId()
      .slice(0, 6)
      .replace(/[^A-Za-z]/g, 'q')}`;
    const first = await createUser(t, { firstName: `${tag}ina`, lastName: 'Kowalska' });
    const last = await createUser(t, { firstName: 'Jan', lastName: `${tag}ski` });
    await createUser(t, { firstName: `x${tag}` });
    const found = await search({ q: tag.toUpperCase() });
    expect(found.users.map((u) => u.username).sort()).toEqual([first.username, last.username].sort());
    expect(found.users.find((u) => u.username === first.username)?.displayName).toBe(`${tag}ina Kowalska`);
    expect((await search({ q: first.username.toUpperCase() })).users.map((u) => u.username)).toEqual([first.username]);
    expect((await search({ q: `${last.username}@Example` })).users.map((u) => u.username)).toEqual([last.username]);
    expect((await search({ q: `${tag}zzz` })).users).toEqual([]);
  });

  it('pages through many users with the same prefix by user name, forwards and back', async () => {
    const tag = `Pg${newId()
      .slice(0, 6)
      .replace(/[^A-Za-z]/g, 'p')}`;
    const made = [];
    for (let i = 0; i < 27; i++) made.push((await createUser(t, { firstName: tag })).username);
    const all = made.sort();
    const one = await search({ q: tag });
    expect(one.users.map((u) => u.username)).toEqual(all.slice(0, 25));
    expect(one.previous).toBeNull();
    expect(one.next).toBe(all[24]);
    const two = await search({ q: tag, after: one.next! });
    expect(two.users.map((u) => u.username)).toEqual(all.slice(25));
    expect(two.next).toBeNull();
    expect(two.previous).toBe(all[25]);
    const back = await search({ q: tag, before: two.previous! });
    expect(back.users.map((u) => u.username)).toEqual(all.slice(0, 25));
    expect(back.previous).toBeNull();
    expect(back.next).toBe(all[24]);
    const small = await search({ q: tag, limit: '10', after: all[9]! });
    expect(small.users.map((u) => u.username)).toEqual(all.slice(10, 20));
    const before = await search({ q: tag, limit: '10', before: all[15]! });
    expect(before.users.map((u) => u.username)).toEqual(all.slice(5, 15));
    expect(before.previous).toBe(all[5]);
  });

  it('refuses bad filters with invalid_input', async () => {
    const bad: Record<string, string>[] = [
      { limit: '0' },
      { limit: 'many' },
      { after: 'a', before: 'b' },
      { q: 'x'.repeat(129) },
      { sort: 'name' },
    ];
    for (const query of bad) {
      const res = await adminBrowser.raw({ method: 'GET', url: `/api/admin/users?${new URLSearchParams(query)}` });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(errorCode(res.body)).toBe('invalid_input');
    }
  });

  it('shows a user’s methods (numbers masked, no secrets), lock-outs and recent activity', async () => {
    const user = await createUser(t, { withAuthenticator: true, firstName: 'Ola' });
    await addMethod(t, user.username, 'phone', { phoneKind: 'office' });
    const browser = await freshBrowser(t);
    await browser.call(session.signIn, { body: { username: user.username, password: 'wrong-password' } });
    const res = await adminBrowser.call(adminUsers.getAdminUser, { params: { username: user.username.toUpperCase() } });
    expect(res.status).toBe(200);
    const body = res.body as {
      user: object;
      methods: { kind: string; detail: string | null; isDefault: boolean }[];
      lockouts: object[];
      activity: { event: string; result: string }[];
    };
    expect(body.user).toMatchObject({ username: user.username, displayName: 'Ola', isAdmin: false, reregisterReason: null });
    expect(body.methods.map((m) => [m.kind, m.isDefault])).toEqual([
      ['authenticator', true],
      ['phone', false],
    ]);
    expect(body.methods[1]!.detail).not.toContain('601234567');
    expect(body.methods[1]!.detail).toMatch(/67$/);
    expect(JSON.stringify(body)).not.toContain(user.totpSecret);
    expect(body.lockouts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ scope: 'password', clientIp: null, failures: 1, blockedUntil: null }),
        expect.objectContaining({ scope: 'password', clientIp: browser.ip, failures: 1 }),
      ]),
    );
    expect(body.activity[0]).toMatchObject({ event: 'sign_in.password', result: 'denied' });
  });

  it('requires re-registration at once: the methods go now, and the next sign-in is registration', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const res = await adminBrowser.call(adminUsers.requireReregistration, { params: { username: user.username }, body: { mode: 'now' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deletedMethods: 1 });
    const browser = await freshBrowser(t);
    const first = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(first.body).toMatchObject({ state: { stage: 'registration', reason: 'admin_reset' } });
    expect((await browser.call(securityInfo.getSecurityInfo)).body).toMatchObject({ methods: [], defaultMethodId: null });
    expect(await outboxOf(browser, user)).toContain('An administrator removed your sign-in methods');
    expect((await logOf(t, user.username)).map((l) => l.event)).toContain('admin.reregistration_required_now');
    expect((await logOf(t, adminUser.username)).map((l) => l.event)).toContain('admin.reregistration_required_now');
  });

  it('requires re-registration after verification: the user verifies with an old method, then it is cleared', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const res = await adminBrowser.call(adminUsers.requireReregistration, {
      params: { username: user.username },
      body: { mode: 'after_verification' },
    });
    expect(res.body).toEqual({ deletedMethods: 0 });
    const detail = await adminBrowser.call(adminUsers.getAdminUser, { params: { username: user.username } });
    expect(detail.body).toMatchObject({ user: { reregisterReason: 'admin_reset' } });

    const browser = await freshBrowser(t);
    const first = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(stageOf(first.body)).toBe('second_factor');
    t.clock.advance(30);
    const second = await browser.call(session.verifyTotp, { body: { code: totpCode(user.totpSecret!, t.clock.now()) } });
    expect(second.body).toMatchObject({ state: { stage: 'registration', reason: 'admin_reset' } });
    expect((await browser.call(securityInfo.getSecurityInfo)).body).toMatchObject({ methods: [], defaultMethodId: null });
    expect((await logOf(t, user.username)).map((l) => l.event)).toEqual(
      expect.arrayContaining(['admin.reregistration_required_after_verification', 'registration.methods_cleared']),
    );
    expect(await outboxOf(browser, user)).toContain('An administrator asked you to register your sign-in methods again');
  });

  it('revokes every session: one in use stops working', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    expect((await browser.call(securityInfo.getSecurityInfo)).status).toBe(200);
    const res = await adminBrowser.call(adminUsers.revokeUserSessions, { params: { username: user.username } });
    expect(res.body).toEqual({ revoked: 1 });
    expect((await browser.call(securityInfo.getSecurityInfo)).status).toBe(401);
    expect(await outboxOf(adminBrowser, user)).toContain('signed you out on every device');
    expect((await logOf(t, user.username)).map((l) => l.event)).toContain('admin.sessions_revoked');
  });

  it('unlocks a user locked out by failed passwords', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await freshBrowser(t, '198.51.100.77');
    for (let i = 0; i < 5; i++) {
      const wrong = await browser.call(session.signIn, { body: { username: user.username, password: 'wrong-password' } });
      expect(wrong.status).toBe(401);
    }
    const locked = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(locked.status).toBe(429);
    const detail = (await adminBrowser.call(adminUsers.getAdminUser, { params: { username: user.username } })).body as {
      lockouts: { clientIp: string | null; blockedUntil: string | null }[];
    };
    expect(detail.lockouts.find((l) => l.clientIp === '198.51.100.77')?.blockedUntil).not.toBeNull();

    const res = await adminBrowser.call(adminUsers.unlockUser, { params: { username: user.username } });
    expect(res.body).toEqual({ cleared: 2 });
    const again = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
    expect(again.status).toBe(200);
    expect(stageOf(again.body)).toBe('second_factor');
    expect(await outboxOf(adminBrowser, user)).toContain('cleared the lock on your sign-in');
  });

  it('deletes all app passwords of a user and tells them', async () => {
    await savePolicy(t.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 5 } });
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    for (const name of ['one', 'two']) expect((await browser.call(appPasswords.createAppPassword, { body: { name } })).status).toBe(200);
    const res = await adminBrowser.call(admin.adminDeleteAppPasswords, { params: { username: user.username } });
    expect(res.body).toEqual({ deleted: 2 });
    expect(((await browser.call(appPasswords.listAppPasswords)).body as { items: unknown[] }).items).toEqual([]);
    expect(await outboxOf(browser, user)).toContain('All your app passwords were deleted (2 app passwords).');
    await savePolicy(t.app.ctx, defaultOrgPolicy);
  });
});

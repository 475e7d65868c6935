import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminUsers, appPasswords, recoveryCodes, reportLink as api, session } from '../../shared/api/index.ts';
import { defaultOrgPolicy } from '../../shared/policy.ts';
import type { TestBrowser } from '../test-support/api-client.ts';
import { createUser, errorCode, freshBrowser, signIn, stageOf, type TestUser } from '../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../test-support/test-app.ts';
import { savePolicy } from '../core/security-info/policy-store.ts';
import { REPORT_LINK_LIFETIME_MS, REPORT_LINK_PATH } from '../core/report-link/token.ts';

describe.each(testDatabases)('"this wasn\'t me" links (%s)', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await createUser(t, { withAuthenticator: true, isAdmin: true });
  });
  afterAll(async () => t.close());
  beforeEach(async () => savePolicy(t.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 5 } }));

  async function mailTo(user: TestUser) {
    await t.app.ctx.mail.flush();
    return t.app.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', `${user.username}@example.test`)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** The token from the newest notice's link, as the user's mail program shows it. */
  async function tokenFromLatestNotice(user: TestUser): Promise<string> {
    const mail = await mailTo(user);
    const withLink = mail.filter((m) => m.body.includes(REPORT_LINK_PATH));
    const match = new RegExp(`${t.config.publicOrigin}${REPORT_LINK_PATH}#(\\S+)`).exec(withLink.at(-1)?.body ?? '');
    expect(match, 'a notice with the link').not.toBeNull();
    return match![1]!;
  }

  /** A user with an app password and a change that sends a notice (recovery codes generated). */
  async function userWithNotice(): Promise<{ user: TestUser; browser: TestBrowser }> {
    const user = await createUser(t, { withAuthenticator: true });
    const browser = await signIn(t, user);
    expect((await browser.call(appPasswords.createAppPassword, { body: { name: 'Mail' } })).status).toBe(200);
    expect((await browser.call(recoveryCodes.generateRecoveryCodes)).status).toBe(200);
    return { user, browser };
  }

  const report = async (token: string) => (await freshBrowser(t)).call(api.reportNotMe, { body: { token } });

  it('every security notice carries the link; using it signs out everywhere, deletes app passwords, flags the account, logs and tells the user', async () => {
    const { user, browser } = await userWithNotice();
    const other = await signIn(t, user, '198.51.100.7');
    const mail = await mailTo(user);
    expect(mail.length).toBeGreaterThanOrEqual(2);
    for (const m of mail) expect(m.body).toContain(`${t.config.publicOrigin}${REPORT_LINK_PATH}#`);
    const token = await tokenFromLatestNotice(user);

    const res = await report(token);
    const reportedAt = new Date(t.clock.now()).toISOString();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ sessionsRevoked: 2, appPasswordsDeleted: 1 });
    // Both sessions are gone.
    for (const b of [browser, other]) expect(stageOf((await b.call(session.getSession)).body)).toBe('anonymous');
    const adminBrowser = await signIn(t, admin);
    const detail = await adminBrowser.call(adminUsers.getAdminUser, { params: { username: user.username } });
    const body = detail.body as { user: { needsReviewSince: string | null }; appPasswords: number; activity: { event: string }[] };
    expect(body.user.needsReviewSince).toBe(reportedAt);
    expect(body.appPasswords).toBe(0);
    expect(body.activity.map((a) => a.event)).toContain('account.reported_not_me');
    // The user is told what happened and what to do next, in a notice without a new link.
    const confirmation = (await mailTo(user)).at(-1)!;
    expect(confirmation.body).toContain('You reported a change you did not make');
    expect(confirmation.body).not.toContain(REPORT_LINK_PATH);

    // The administrator clears the mark; that is logged too.
    const cleared = await adminBrowser.call(adminUsers.clearNeedsReview, { params: { username: user.username } });
    expect(cleared.body).toEqual({ cleared: true });
    const after = await adminBrowser.call(adminUsers.getAdminUser, { params: { username: user.username } });
    expect((after.body as typeof body).user.needsReviewSince).toBeNull();
    expect((after.body as typeof body).activity.map((a) => a.event)).toContain('admin.review_cleared');
  });

  it('works once: a reused link gets the neutral answer', async () => {
    const { user } = await userWithNotice();
    const token = await tokenFromLatestNotice(user);
    expect((await report(token)).status).toBe(200);
    const again = await report(token);
    expect(again.status).toBe(400);
    expect(errorCode(again.body)).toBe('report_link_not_valid');
  });

  it('two uses of one link at once: exactly one goes through', async () => {
    const { user } = await userWithNotice();
    const token = await tokenFromLatestNotice(user);
    const [a, b] = [await freshBrowser(t, '198.51.100.1'), await freshBrowser(t, '198.51.100.2')];
    const results = await Promise.all([a.call(api.reportNotMe, { body: { token } }), b.call(api.reportNotMe, { body: { token } })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const log = await t.app.ctx.db
      .selectFrom('verification_log')
      .select('event')
      .where('username', '=', user.username)
      .where('event', '=', 'account.reported_not_me')
      .execute();
    expect(log).toHaveLength(1);
  });

  it('expires after 7 days, and a tampered or foreign token is refused the same way', async () => {
    const { user } = await userWithNotice();
    const token = await tokenFromLatestNotice(user);
    t.clock.advance(REPORT_LINK_LIFETIME_MS / 1000 + 1);
    const expired = await report(token);
    expect(errorCode(expired.body)).toBe('report_link_not_valid');
    // Nothing happened to the account.
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), e: t.clock.now() + 60_000 }),
    ).toString('base64url');
    expect(errorCode((await report(`${forged}.${signature}`)).body)).toBe('report_link_not_valid');
    expect(errorCode((await report('not-a-token')).body)).toBe('report_link_not_valid');
    const row = await t.app.ctx.db
      .selectFrom('users')
      .select('needs_review_at')
      .where('username', '=', user.username)
      .executeTakeFirstOrThrow();
    expect(row.needs_review_at).toBeNull();
  });

  it('a link just short of 7 days still works', async () => {
    const { user } = await userWithNotice();
    const token = await tokenFromLatestNotice(user);
    t.clock.advance(REPORT_LINK_LIFETIME_MS / 1000 - 60);
    expect((await report(token)).status).toBe(200);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminUsers, appPasswords, dev } from '../../../shared/api/index.ts';
import type { AdminUserDetail } from '../../../shared/api/admin-users.ts';
import { defaultOrgPolicy } from '../../../shared/policy.ts';
import { createUser, signIn, type TestUser } from '../../test-support/flows.ts';
import { freePort, startSmtpSink, type SmtpSink } from '../../test-support/smtp-sink.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { TestBrowser } from '../../test-support/api-client.ts';
import { sweepExpired } from '../maintenance.ts';
import { notifyAdminAction } from '../notify/security-info-changed.ts';
import { savePolicy } from '../security-info/policy-store.ts';
import { inTransaction } from '../transaction.ts';
import { findUserByUsername } from '../users/users.ts';
import { enqueueMail } from './queue-store.ts';

const smtpEnv = (port: number) => ({
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  SMTP_TLS: 'off',
  MAIL_FROM: 'Security Info <security@example.org>',
});

describe.each(testDatabases)('the mail queue, against a real SMTP server (%s)', (kind) => {
  let port: number;
  let t: TestApp;
  let sink: SmtpSink | undefined;
  let user: TestUser;
  let browser: TestBrowser;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp(kind, { env: smtpEnv(port) });
    await savePolicy(t.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 50 } });
  });
  afterAll(async () => t.close());
  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
  });

  async function changeSomething(name: string) {
    user = await createUser(t, { withAuthenticator: true });
    browser = await signIn(t, user);
    const res = await browser.call(appPasswords.createAppPassword, { body: { name } });
    expect(res.status).toBe(200);
  }

  const queueOf = (username: string) =>
    t.app.ctx.db
      .selectFrom('mail_queue')
      .innerJoin('users', 'users.id', 'mail_queue.user_id')
      .selectAll('mail_queue')
      .where('users.username', '=', username)
      .execute();

  it('keeps the change when the mail server is down, and delivers the notice once it is back', async () => {
    await changeSomething('Phone mail app');
    await t.app.ctx.mail.flush();
    const [waiting] = await queueOf(user.username);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting?.last_error).toContain('ECONNREFUSED');

    sink = await startSmtpSink({ port });
    t.clock.advance(60);
    await t.app.ctx.mail.flush();
    t.clock.advance(3600);
    await t.app.ctx.mail.flush();

    expect(sink.accepted).toHaveLength(1);
    expect(sink.accepted[0]?.to).toEqual([`${user.username}@example.test`]);
    expect(sink.accepted[0]?.messageId).toBe(waiting?.message_id);
    expect(sink.accepted[0]?.messageId).toMatch(/@example\.org>$/);
    expect(await queueOf(user.username)).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });

  it('tries again after 451 twice, and delivers once', async () => {
    sink = await startSmtpSink({
      port,
      answers: [
        { code: 451, text: 'Greylisted, try again later' },
        { code: 451, text: 'Greylisted, try again later' },
      ],
    });
    await changeSomething('Tablet mail app');
    await t.app.ctx.mail.flush();
    expect(await queueOf(user.username)).toMatchObject([{ status: 'pending', attempts: 1 }]);
    // Not before its time: the first retry waits 15 to 30 seconds.
    t.clock.advance(10);
    await t.app.ctx.mail.flush();
    expect(sink.attempts).toBe(1);
    t.clock.advance(30);
    await t.app.ctx.mail.flush();
    t.clock.advance(60);
    await t.app.ctx.mail.flush();

    expect(sink.attempts).toBe(3);
    expect(sink.accepted).toHaveLength(1);
    expect(await queueOf(user.username)).toMatchObject([{ status: 'sent', attempts: 3, last_error: null }]);
  });

  it('gives up at once on 550, says why to the admin and in /api/health, and tries no more', async () => {
    sink = await startSmtpSink({ port, answers: [{ code: 550, text: 'Mailbox unavailable' }] });
    await changeSomething('Old laptop');
    await t.app.ctx.mail.flush();
    t.clock.advance(24 * 3600);
    await t.app.ctx.mail.flush();

    expect(sink.attempts).toBe(1);
    const [dead] = await queueOf(user.username);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead?.last_error).toContain('550 Mailbox unavailable');

    const adminUser = await createUser(t, { withAuthenticator: true, isAdmin: true });
    const admin = await signIn(t, adminUser);
    const page = (await admin.call(adminUsers.getAdminUser, { params: { username: user.username } })).body as AdminUserDetail;
    expect(page.undeliveredNotices).toEqual([
      expect.objectContaining({ to: `${user.username}@example.test`, attempts: 1, reason: expect.stringContaining('550') }),
    ]);
    const health = await new TestBrowser(t.app).call(dev.health);
    expect(health.body).toMatchObject({ ok: true, details: { mail: { dead: expect.any(Number) } } });
    expect((health.body as { details: { mail: { dead: number } } }).details.mail.dead).toBeGreaterThanOrEqual(1);
  });

  it('gives up on a temporary failure after a day of tries', async () => {
    sink = await startSmtpSink({ port, answers: Array.from({ length: 100 }, () => ({ code: 421, text: 'Service not available' })) });
    await changeSomething('Work desktop');
    for (let hour = 0; hour < 26; hour++) {
      await t.app.ctx.mail.flush();
      t.clock.advance(3600);
    }
    const [dead] = await queueOf(user.username);
    expect(dead?.status).toBe('dead');
    expect(dead?.last_error).toMatch(/^gave up after \d+ attempts: 421/);
    const attempts = sink.attempts;
    t.clock.advance(3600);
    await t.app.ctx.mail.flush();
    expect(sink.attempts).toBe(attempts);
  });

  it('leaves no notice behind when the change’s transaction fails', async () => {
    const someone = (await findUserByUsername(t.app.ctx, (await createUser(t)).username))!;
    const failed = await inTransaction(t.app.ctx, async (tx) => {
      await notifyAdminAction(tx, someone, 'admin_unlocked');
      throw new Error('the change failed after its notice was queued');
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(Error);
    expect(await queueOf(someone.username)).toEqual([]);
  });

  it('forgets a sent message after a week', async () => {
    sink = await startSmtpSink({ port });
    await changeSomething('Kept a week');
    await t.app.ctx.mail.flush();
    expect(await queueOf(user.username)).toMatchObject([{ status: 'sent' }]);
    t.clock.advance(6 * 24 * 3600);
    await sweepExpired(t.app.ctx);
    expect(await queueOf(user.username)).toHaveLength(1);
    t.clock.advance(2 * 24 * 3600);
    await sweepExpired(t.app.ctx);
    expect(await queueOf(user.username)).toEqual([]);
  });

  it('queues nothing secret: an app password is not in its notice', async () => {
    await changeSomething('Secret-free');
    const res = await browser.call(appPasswords.createAppPassword, { body: { name: 'Second' } });
    const { password } = res.body as { password: string };
    expect(JSON.stringify(await queueOf(user.username))).not.toContain(password.replace(/ /g, ''));
  });
});

describe.each(testDatabases)('two instances on one database (%s)', (kind) => {
  let sink: SmtpSink;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    sink = await startSmtpSink();
    first = await startTestApp(kind, { env: smtpEnv(sink.port) });
    second = await startTestApp(kind, {
      env: smtpEnv(sink.port),
      database: first.database,
      clock: first.clock,
      masterKey: first.masterKey,
    });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await sink.stop();
  });

  it('delivers each of 500 queued notices exactly once', async () => {
    await inTransaction(first.app.ctx, async (tx) => {
      for (let i = 0; i < 500; i++) {
        await enqueueMail(tx, { userId: null, to: `n${i}@example.test`, language: 'en', subject: 'Notice', body: `Notice ${i}` });
      }
    });
    await Promise.all([first.app.ctx.mail.flush(), second.app.ctx.mail.flush()]);
    await first.app.ctx.mail.flush();

    expect(sink.accepted).toHaveLength(500);
    const ids = new Set(sink.accepted.map((m) => m.messageId));
    expect(ids.size).toBe(500);
    const recipients = new Set(sink.accepted.flatMap((m) => m.to));
    expect(recipients.size).toBe(500);
    const left = await first.app.ctx.db.selectFrom('mail_queue').select('id').where('status', '!=', 'sent').execute();
    expect(left).toEqual([]);
  }, 60_000);
});

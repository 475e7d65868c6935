/**
 * App passwords through real mail servers and a real mail client: nginx's
 * mail proxy (auth_http) in front of Dovecot, and Dovecot alone with the
 * checkpassword helper, configured from deploy/ and driven with curl.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPasswords } from '../../../shared/api/index.ts';
import { defaultOrgPolicy } from '../../../shared/policy.ts';
import { savePolicy } from '../../core/security-info/policy-store.ts';
import { createUser, signIn } from '../../test-support/flows.ts';
import {
  curl,
  freePort,
  makeTempDir,
  missingMailServerTools,
  removeDir,
  renderTemplate,
  repoRoot,
  startDovecot,
  startNginx,
  startSmtpSink,
  writeDovecotSecretFile,
  type Running,
} from '../../test-support/mail-servers.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';

const missing = missingMailServerTools();
if (missing.length > 0) {
  console.warn(`Mail-server tests skipped: install ${missing.join(', ')} (npm test installs them when run as root).`);
}

const SECRET = randomBytes(24).toString('base64url');
/** curl's source addresses: the app must log these, not nginx's or the helper's own 127.0.0.1. */
const CLIENT_VIA_NGINX = '127.0.0.7';
/**
 * One for each test that signs in at Dovecot directly: Dovecot delays the next
 * login from an address after a failed one (its auth penalty, up to 15 s).
 */
let dovecotClients = 0;
const nextDovecotClient = () => `127.0.1.${++dovecotClients}`;
const GUESS = 'aaaa bbbb cccc dddd eeee ffff';

describe.skipIf(missing.length > 0)('app passwords at real mail servers', () => {
  const ports = { app: 0, nginxImap: 0, nginxSmtp: 0, backendImap: 0, backendSubmission: 0, directImap: 0, directSubmission: 0 };
  let dir = '';
  let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
  const servers: Running[] = [];

  beforeAll(async () => {
    for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await freePort();
    dir = makeTempDir('secinfo-mail-');
    sink = await startSmtpSink();
    const secretFile = join(dir, 'mail-auth-secret');
    writeDovecotSecretFile(secretFile, SECRET);
    const started = await Promise.allSettled([
      startDovecot(join(dir, 'behind-nginx'), {
        imapPort: ports.backendImap,
        submissionPort: ports.backendSubmission,
        relayPort: sink.port,
        passdb: renderTemplate('dovecot-behind-nginx.conf', { NGINX_ADDRESS: '127.0.0.1/32' }),
      }),
      startDovecot(join(dir, 'checkpassword'), {
        imapPort: ports.directImap,
        submissionPort: ports.directSubmission,
        relayPort: sink.port,
        passdb: renderTemplate('dovecot-checkpassword.conf', {
          NODE: process.execPath,
          APP_DIR: repoRoot,
          APP_URL: `http://127.0.0.1:${ports.app}`,
          SECRET_FILE: secretFile,
        }),
      }),
      startNginx(
        join(dir, 'nginx'),
        renderTemplate('nginx-mail.conf', {
          MAIL_SERVER_NAME: 'mail.test',
          APP_ADDRESS: `127.0.0.1:${ports.app}`,
          MAIL_AUTH_SECRET: SECRET,
          IMAP_LISTEN: `127.0.0.1:${ports.nginxImap}`,
          SMTP_LISTEN: `127.0.0.1:${ports.nginxSmtp}`,
        }),
        [ports.nginxImap, ports.nginxSmtp],
      ),
    ]);
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await sink?.close();
    // KEEP_MAIL_TEST_DIR=1 keeps the servers' configuration and logs for a look after a failure.
    if (dir && !process.env.KEEP_MAIL_TEST_DIR) removeDir(dir);
  });

  describe.each(testDatabases)('(%s)', (kind) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, {
        env: {
          MAIL_AUTH_SECRET: SECRET,
          MAIL_BACKEND_IMAP: `127.0.0.1:${ports.backendImap}`,
          MAIL_BACKEND_SMTP: `127.0.0.1:${ports.backendSubmission}`,
        },
      });
      await t.app.listen({ host: '127.0.0.1', port: ports.app });
      await savePolicy(t.app.ctx, { ...defaultOrgPolicy, appPasswords: { allowed: true, maxPerUser: 3 } });
    });
    afterAll(async () => t.close());

    async function userWithAppPassword() {
      const user = await createUser(t, { withAuthenticator: true });
      const browser = await signIn(t, user);
      const res = await browser.call(appPasswords.createAppPassword, { body: { name: 'Outlook' } });
      expect(res.status).toBe(200);
      const { item, password } = res.body as { item: { id: string }; password: string };
      return { user, browser, id: item.id, password };
    }

    const imapViaNginx = (username: string, password: string) =>
      curl(['--interface', CLIENT_VIA_NGINX, '--url', `imap://127.0.0.1:${ports.nginxImap}/`, '--user', `${username}:${password}`]);
    const imapAtDovecot = (from: string, username: string, password: string) =>
      curl(['--interface', from, '--url', `imap://127.0.0.1:${ports.directImap}/`, '--user', `${username}:${password}`]);

    async function submitViaNginx(username: string, password: string, subject: string) {
      const file = join(dir, `${subject}.eml`);
      writeFileSync(
        file,
        `From: ${username}@example.test\r\nTo: bob@example.test\r\nSubject: ${subject}\r\n\r\nSent with an app password.\r\n`,
      );
      return curl([
        '--interface',
        CLIENT_VIA_NGINX,
        '--url',
        `smtp://127.0.0.1:${ports.nginxSmtp}`,
        '--login-options',
        'AUTH=PLAIN',
        '--user',
        `${username}:${password}`,
        '--mail-from',
        `${username}@example.test`,
        '--mail-rcpt',
        'bob@example.test',
        '--upload-file',
        file,
      ]);
    }

    const logOf = (username: string) =>
      t.app.ctx.db
        .selectFrom('verification_log')
        .select(['event', 'result', 'denial_reason', 'client_ip'])
        .where('username', '=', username)
        .where('event', '=', 'legacy_sign_in')
        .orderBy('at')
        .orderBy('id')
        .execute();

    it('IMAP through nginx lists the mailbox with the app password, typed with or without spaces; the log and "last used" show the client', async () => {
      const { user, browser, password } = await userWithAppPassword();
      const plain = await imapViaNginx(user.username, password.replace(/ /g, ''));
      expect(plain.code, plain.output).toBe(0);
      expect(plain.output).toMatch(/\* LIST .*INBOX/);
      const spaced = await imapViaNginx(user.username.toUpperCase(), password);
      expect(spaced.code, spaced.output).toBe(0);
      expect(spaced.output).toMatch(/\* LIST .*INBOX/);

      expect(await logOf(user.username)).toEqual([
        { event: 'legacy_sign_in', result: 'success', denial_reason: null, client_ip: CLIENT_VIA_NGINX },
        { event: 'legacy_sign_in', result: 'success', denial_reason: null, client_ip: CLIENT_VIA_NGINX },
      ]);
      const list = await browser.call(appPasswords.listAppPasswords);
      expect(list.body).toMatchObject({ items: [{ lastUsedIp: CLIENT_VIA_NGINX }] });
    });

    it('IMAP through nginx refuses the account password with 0x800434D4L, and a deleted app password', async () => {
      const { user, browser, id, password } = await userWithAppPassword();
      const account = await imapViaNginx(user.username, user.password);
      expect(account.code, account.output).toBe(67); // curl: login denied
      expect(account.output).toContain('NO This account uses two-step verification: use an app password');
      expect(account.output).toContain('0x800434D4L');
      t.clock.advance(1); // the log's order

      expect((await browser.call(appPasswords.deleteAppPassword, { params: { appPasswordId: id } })).status).toBe(200);
      const deleted = await imapViaNginx(user.username, password);
      expect(deleted.code, deleted.output).toBe(67);
      expect(deleted.output).toContain('NO Invalid user name or app password');

      expect(await logOf(user.username)).toEqual([
        { event: 'legacy_sign_in', result: 'denied', denial_reason: 'app_password_required', client_ip: CLIENT_VIA_NGINX },
        { event: 'legacy_sign_in', result: 'denied', denial_reason: 'invalid_credentials', client_ip: CLIENT_VIA_NGINX },
      ]);
    });

    it('SMTP submission (AUTH PLAIN) through nginx sends with the app password and refuses the account password', async () => {
      const { user, browser, password } = await userWithAppPassword();
      const subject = `hello-${kind}-${user.username}`;
      const sent = await submitViaNginx(user.username, password, subject);
      expect(sent.code, sent.output).toBe(0);
      expect(sink!.messages.some((m) => m.includes(`Subject: ${subject}`))).toBe(true);
      t.clock.advance(1);

      const refused = await submitViaNginx(user.username, user.password, `${subject}-refused`);
      expect(refused.code, refused.output).toBe(67);
      expect(refused.output).toContain('535 5.7.8 This account uses two-step verification');
      expect(refused.output).toContain('0x800434D4L');
      expect(sink!.messages.some((m) => m.includes(`Subject: ${subject}-refused`))).toBe(false);

      expect((await logOf(user.username)).map((r) => [r.result, r.client_ip])).toEqual([
        ['success', CLIENT_VIA_NGINX],
        ['denied', CLIENT_VIA_NGINX],
      ]);
      expect((await browser.call(appPasswords.listAppPasswords)).body).toMatchObject({ items: [{ lastUsedIp: CLIENT_VIA_NGINX }] });
    });

    it('after too many failures nginx is told to wait (Auth-Wait) and the client is refused', async () => {
      const { user } = await userWithAppPassword();
      // The first 10 failures per account and address are free (legacy-throttle.ts).
      for (let i = 0; i < 10; i++) {
        const guess = await imapViaNginx(user.username, GUESS);
        expect(guess.output).toContain('NO Invalid user name or app password');
      }
      const throttled = await imapViaNginx(user.username, GUESS);
      expect(throttled.code, throttled.output).toBe(67);
      expect(throttled.output).toMatch(/NO Too many failed sign-ins, try again in \d+ seconds/);
      // nginx held the answer back for the Auth-Wait seconds (1 here) before showing it.
      expect(throttled.seconds).toBeGreaterThanOrEqual(0.9);
    });

    it('Dovecot with the checkpassword helper accepts the app password and refuses the account password', async () => {
      const { user, browser, password } = await userWithAppPassword();
      const client = nextDovecotClient();
      const accepted = await imapAtDovecot(client, user.username, password);
      expect(accepted.code, accepted.output).toBe(0);
      expect(accepted.output).toMatch(/\* LIST .*INBOX/);
      t.clock.advance(1);
      const refused = await imapAtDovecot(client, user.username, user.password);
      expect(refused.code, refused.output).toBe(67);
      expect(refused.output).toContain('NO [AUTHENTICATIONFAILED]');

      expect(await logOf(user.username)).toEqual([
        { event: 'legacy_sign_in', result: 'success', denial_reason: null, client_ip: client },
        { event: 'legacy_sign_in', result: 'denied', denial_reason: 'app_password_required', client_ip: client },
      ]);
      expect((await browser.call(appPasswords.listAppPasswords)).body).toMatchObject({ items: [{ lastUsedIp: client }] });
    });

    // Last: it stops this app.
    it('with the app stopped, Dovecot fails temporarily (the client is told to retry) and nginx lets no one in', async () => {
      const { user, password } = await userWithAppPassword();
      await t.app.close();
      const atDovecot = await imapAtDovecot(nextDovecotClient(), user.username, password);
      expect(atDovecot.code, atDovecot.output).toBe(67);
      expect(atDovecot.output).toContain('NO [UNAVAILABLE] Temporary authentication failure');
      const viaNginx = await imapViaNginx(user.username, password);
      expect(viaNginx.code, viaNginx.output).not.toBe(0);
      expect(viaNginx.output).toContain('* BAD internal server error');
      expect(viaNginx.output).not.toMatch(/\* LIST/);
    });
  });
});

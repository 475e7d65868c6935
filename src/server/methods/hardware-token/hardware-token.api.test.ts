import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEndpoints, authenticator, dev, hardwareToken, securityInfo, session } from '../../../shared/api/index.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { addAuthenticator, createUser, errorCode, freshBrowser, signIn, type TestUser } from '../../test-support/flows.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import type { EndpointDef } from '../../../shared/endpoint.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { totpCode } from '../authenticator/totp.ts';
import { otpAt } from './otp.ts';

// RFC 4226's seed, base32: every token of these tests has it, so codes are easy to compute.
const SEED = new TextEncoder().encode('12345678901234567890');
const SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const HEADER = 'upn,serial number,secret key,time interval,manufacturer,model';

let serials = 0;
/** A serial no other test of this run uses. */
const newSerial = (prefix = 'T') => `${prefix}${Date.now().toString(36).toUpperCase()}${(serials += 1)}`;

const totpAt = (t: TestApp, offsetSteps = 0, period = 30) =>
  otpAt(SEED, { algorithm: 'SHA1', digits: 6 }, Math.floor(t.clock.now() / 1000 / period) + offsetSteps);
const hotpAt = (counter: number) => otpAt(SEED, { algorithm: 'SHA1', digits: 6 }, counter);

/** A PSKC file of one plain-text HOTP key package for a user. */
function hotpPskc(serial: string, upn: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
  <KeyPackage>
    <DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>${serial}</SerialNo></DeviceInfo>
    <Key Id="1" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">
      <AlgorithmParameters><ResponseFormat Length="6" Encoding="DECIMAL"/></AlgorithmParameters>
      <Data>
        <Secret><PlainValue>${Buffer.from(SEED).toString('base64')}</PlainValue></Secret>
        <Counter><PlainValue>0</PlainValue></Counter>
      </Data>
      <UserId>${upn}</UserId>
    </Key>
  </KeyPackage>
</KeyContainer>`;
}

describe.each(testDatabases)('hardware tokens (%s)', (kind) => {
  let t: TestApp;
  let admin: TestUser;
  let adminBrowser: TestBrowser;

  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await createUser(t, { withAuthenticator: true, isAdmin: true });
    adminBrowser = await signIn(t, admin);
  });
  afterAll(async () => t.close());

  /** The admin verifies again (each change needs a recent verification, and tests move the clock). */
  async function reverifyAdmin(): Promise<void> {
    t.clock.advance(30);
    const res = await adminBrowser.call(session.verifyTotp, { body: { code: totpCode(admin.totpSecret!, t.clock.now()) } });
    expect(res.status).toBe(200);
  }

  /** The admin imports a file; fails the test unless it is imported whole. */
  async function importFile(body: { format: 'csv' | 'pskc'; content: string }): Promise<void> {
    await reverifyAdmin();
    const res = await adminBrowser.call(hardwareToken.commitTokenImport, { body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** A user signed in with an app, holding a TOTP token the admin imported for them (not yet activated). */
  async function userWithToken(options: { period?: number } = {}) {
    const user = await createUser(t, { withAuthenticator: true });
    const serial = newSerial();
    await importFile({ format: 'csv', content: `${HEADER}\n${user.username},${serial},${SEED_BASE32},${options.period ?? 30},Acme,Fob\n` });
    const browser = await signIn(t, user);
    return { user, serial, browser };
  }

  async function activate(browser: TestBrowser, serial: string, code: string, nextCode?: string) {
    return browser.call(hardwareToken.activateHardwareToken, {
      body: { serial, code, label: 'Key fob', ...(nextCode ? { nextCode } : {}) },
    });
  }

  describe('import', () => {
    it('previews a CSV, then imports it; nothing is stored before', async () => {
      const user = await createUser(t);
      const [a, b] = [newSerial(), newSerial()];
      const content = `\uFEFF${HEADER}\r\n${user.username},${a},${SEED_BASE32},30,Acme,"Fob, 1"\r\n,"${b}",gezd gnbv gy3t qojq gezd gnbv gy3t qojq,60,Acme,Card\r\n`;
      const preview = await adminBrowser.call(hardwareToken.previewTokenImport, { body: { format: 'csv', content } });
      expect(preview.body).toEqual({ format: 'csv', tokens: 2, totp: 2, hotp: 0, problemCount: 0, problems: [] });
      const before = await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: a } });
      expect(before.body).toMatchObject({ tokens: [], total: 0 });
      await importFile({ format: 'csv', content });
      const listed = await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: a } });
      expect(listed.body).toMatchObject({
        tokens: [
          { serial: a, manufacturer: 'Acme', model: 'Fob, 1', kind: 'totp', assignedTo: user.username, activated: false, lastUsedAt: null },
        ],
      });
      // The search is by serial prefix, any case; LIKE's wildcards are plain characters in it.
      const byPrefix = await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: a.slice(0, -1).toLowerCase() } });
      expect((byPrefix.body as { tokens: Array<{ serial: string }> }).tokens.map((x) => x.serial)).toContain(a);
      expect((await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: '%' } })).body).toMatchObject({
        tokens: [],
        total: 0,
      });
      // Secrets are sealed at rest, never stored as given.
      const rows = await t.app.ctx.db.selectFrom('hardware_tokens').select('secret_enc').where('serial', 'in', [a, b]).execute();
      for (const r of rows) expect(r.secret_enc).not.toContain(SEED_BASE32);
    });

    it('rejects a file with one bad row whole, naming the row and why', async () => {
      const [good, bad] = [newSerial(), newSerial()];
      const content = `${HEADER}\n,${good},${SEED_BASE32},30,,\n,${bad},GEZDGNBV,30,,\nnobody-here,${newSerial()},${SEED_BASE32},30,,\n`;
      const preview = await adminBrowser.call(hardwareToken.previewTokenImport, { body: { format: 'csv', content } });
      expect(preview.body).toMatchObject({
        tokens: 1,
        problemCount: 2,
        problems: [
          { line: 3, serial: bad, reason: 'secret_too_short' },
          { line: 4, reason: 'unknown_user' },
        ],
      });
      await reverifyAdmin();
      const commit = await adminBrowser.call(hardwareToken.commitTokenImport, { body: { format: 'csv', content } });
      expect(commit.status).toBe(422);
      expect(errorCode(commit.body)).toBe('token_import_invalid');
      expect((await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: good } })).body).toMatchObject({ total: 0 });
    });

    it('finds duplicate serials in the file and ones already imported', async () => {
      const [once, twice] = [newSerial(), newSerial()];
      await importFile({ format: 'csv', content: `${HEADER}\n,${once},${SEED_BASE32},30,,\n` });
      const content = `${HEADER}\n,${twice},${SEED_BASE32},30,,\n,${twice.toLowerCase()},${SEED_BASE32},30,,\n,${once},${SEED_BASE32},30,,\n`;
      const preview = await adminBrowser.call(hardwareToken.previewTokenImport, { body: { format: 'csv', content } });
      expect(preview.body).toMatchObject({
        problems: [
          { line: 3, serial: twice, reason: 'duplicate_in_file' },
          { line: 4, serial: once, reason: 'already_imported' },
        ],
      });
    });

    it('imports PSKC with an encrypted secret, and names a wrong key', async () => {
      const content = readFileSync(new URL('./import/fixtures/encrypted.pskc.xml', import.meta.url), 'utf8').replace(
        '987654321',
        newSerial('P'),
      );
      const wrong = await adminBrowser.call(hardwareToken.previewTokenImport, {
        body: { format: 'pskc', content, preSharedKey: 'ffffffffffffffffffffffffffffffff' },
      });
      expect(wrong.body).toMatchObject({ tokens: 0, problems: [{ element: 'MACMethod', reason: 'wrong_key' }] });
      await reverifyAdmin();
      const right = await adminBrowser.call(hardwareToken.commitTokenImport, {
        body: { format: 'pskc', content, preSharedKey: '12345678 90123456 78901234 56789012' },
      });
      expect(right.body).toEqual({ imported: 1 });
    });

    it('refuses a file over 10 MB with payload_too_large, and malformed bodies with invalid_input', async () => {
      const big = `${HEADER}\n${'x'.repeat(10 * 1024 * 1024)}`;
      const res = await adminBrowser.call(hardwareToken.previewTokenImport, { body: { format: 'csv', content: big } });
      expect(res.status).toBe(413);
      expect(errorCode(res.body)).toBe('payload_too_large');
      const huge = await adminBrowser.call(hardwareToken.previewTokenImport, {
        body: { format: 'csv', content: 'x'.repeat(16 * 1024 * 1024) },
      });
      expect(huge.status).toBe(413);
      expect(errorCode(huge.body)).toBe('payload_too_large');
      const badKey = await adminBrowser.call(hardwareToken.previewTokenImport, {
        body: { format: 'pskc', content: '<a/>', preSharedKey: 'zz' },
      });
      expect(errorCode(badKey.body)).toBe('invalid_input');
    });

    it('is for administrators only, with a recent verification', async () => {
      const user = await createUser(t, { withAuthenticator: true });
      const plain = await signIn(t, user);
      const anonymous = await freshBrowser(t);
      const body = { format: 'csv' as const, content: `${HEADER}\n` };
      const tokenId = 'some-token';
      const requests: Array<[EndpointDef, (b: TestBrowser) => Promise<{ status: number; body: unknown }>]> = [
        [hardwareToken.previewTokenImport, (b) => b.call(hardwareToken.previewTokenImport, { body })],
        [hardwareToken.commitTokenImport, (b) => b.call(hardwareToken.commitTokenImport, { body })],
        [hardwareToken.listHardwareTokens, (b) => b.call(hardwareToken.listHardwareTokens, { query: {} })],
        [
          hardwareToken.assignHardwareToken,
          (b) => b.call(hardwareToken.assignHardwareToken, { params: { tokenId }, body: { username: user.username } }),
        ],
        [hardwareToken.unassignHardwareToken, (b) => b.call(hardwareToken.unassignHardwareToken, { params: { tokenId } })],
        [hardwareToken.deleteHardwareToken, (b) => b.call(hardwareToken.deleteHardwareToken, { params: { tokenId } })],
      ];
      // Every admin endpoint of the kind is in the list.
      const named = (e: EndpointDef) => `${e.method} ${e.path}`;
      const adminEndpoints = allEndpoints.filter((e) => e.tag === 'admin' && Object.values(hardwareToken).includes(e as never));
      expect(requests.map(([e]) => named(e)).sort()).toEqual(adminEndpoints.map(named).sort());
      for (const [endpoint, send] of requests) {
        expect((await send(anonymous)).status, endpoint.path).toBe(401);
        const refused = await send(plain);
        expect(refused.status, endpoint.path).toBe(403);
        expect(errorCode(refused.body), endpoint.path).toBe('forbidden');
      }
      const otherAdmin = await createUser(t, { withAuthenticator: true, isAdmin: true });
      const stale = await signIn(t, otherAdmin);
      t.clock.advance(11 * 60);
      const commit = await stale.call(hardwareToken.commitTokenImport, { body });
      expect(errorCode(commit.body)).toBe('reauth_required');
      // Like every admin endpoint, reads need a recent verification too.
      expect(errorCode((await stale.call(hardwareToken.previewTokenImport, { body })).body)).toBe('reauth_required');
    });
  });

  describe('activation and sign-in', () => {
    it('activates with serial and code, e-mails the user, then signs in with it', async () => {
      const { user, serial, browser } = await userWithToken();
      t.clock.advance(30);
      const res = await activate(browser, serial.toLowerCase(), totpAt(t));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ method: { kind: 'hardware_token', label: 'Key fob', detail: serial }, resynchronised: false });
      const mail = await browser.call(dev.readOutbox, { query: { to: `${user.username}@example.test` } });
      expect(JSON.stringify(mail.body)).toContain('A sign-in method was added');

      const next = await freshBrowser(t);
      await next.call(session.signIn, { body: { username: user.username, password: user.password } });
      t.clock.advance(30);
      const signedIn = await next.call(hardwareToken.verifyHardwareToken, { body: { code: totpAt(t) } });
      expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
      expect(signedIn.body).toMatchObject({ session: { state: { stage: 'signed_in' } }, resynchronised: false });
      // The same code again is refused.
      const again = await freshBrowser(t);
      await again.call(session.signIn, { body: { username: user.username, password: user.password } });
      expect(errorCode((await again.call(hardwareToken.verifyHardwareToken, { body: { code: totpAt(t) } })).body)).toBe(
        'code_already_used',
      );
      const log = await next.call(securityInfo.getActivity, { query: {} });
      expect(JSON.stringify(log.body)).toContain('"authMode":"hardware_token"');
      const listed = await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: serial } });
      expect(listed.body).toMatchObject({ tokens: [{ activated: true, assignedTo: user.username }] });
    });

    it('answers an unknown serial, someone else’s token and a wrong code alike, and throttles', async () => {
      const { serial: mine, browser } = await userWithToken();
      const { serial: theirs } = await userWithToken();
      const code = totpAt(t);
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      const answers = [
        await activate(browser, 'NO-SUCH-SERIAL', code),
        await activate(browser, theirs, code),
        await activate(browser, mine, wrong),
      ];
      expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
      expect(answers.map((a) => errorCode(a.body))).toEqual(['invalid_code', 'invalid_code', 'invalid_code']);
      expect(answers.map((a) => Object.keys((a.body as { error: object }).error).sort())).toEqual([
        ['attemptsLeft', 'code'],
        ['attemptsLeft', 'code'],
        ['attemptsLeft', 'code'],
      ]);
      await activate(browser, mine, wrong);
      await activate(browser, mine, wrong);
      const blocked = await activate(browser, mine, totpAt(t));
      expect(blocked.status).toBe(429);
    });

    it('resynchronises a drifted TOTP token only with two consecutive codes', async () => {
      const { user, serial, browser } = await userWithToken();
      // The token's clock runs 6 steps (3 minutes) ahead.
      t.clock.advance(30);
      expect(errorCode((await activate(browser, serial, totpAt(t, 6))).body)).toBe('invalid_code');
      // Waiting for the token's next code: the second one is the code it shows now.
      const first = totpAt(t, 6);
      t.clock.advance(30);
      const res = await activate(browser, serial, first, totpAt(t, 6));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ resynchronised: true });
      // From now on one code at the new offset is enough, and the used step never again.
      const other = await freshBrowser(t);
      await other.call(session.signIn, { body: { username: user.username, password: user.password } });
      t.clock.advance(30);
      expect((await other.call(hardwareToken.verifyHardwareToken, { body: { code: totpAt(t, 6) } })).status).toBe(200);
    });

    it('resynchronises an HOTP token pressed many times, and never accepts a counter twice', async () => {
      const user = await createUser(t, { withAuthenticator: true });
      const serial = newSerial('H');
      await importFile({ format: 'pskc', content: hotpPskc(serial, user.username) });
      const browser = await signIn(t, user);
      expect((await activate(browser, serial, hotpAt(0))).status).toBe(200);
      // Pressed 20 times without signing in: one code is refused, two consecutive ones are found.
      const signInWith = async (body: { code: string; nextCode?: string }) => {
        const b = await freshBrowser(t);
        await b.call(session.signIn, { body: { username: user.username, password: user.password } });
        return b.call(hardwareToken.verifyHardwareToken, { body });
      };
      expect(errorCode((await signInWith({ code: hotpAt(21) })).body)).toBe('invalid_code');
      const resync = await signInWith({ code: hotpAt(21), nextCode: hotpAt(22) });
      expect(resync.body).toMatchObject({ resynchronised: true, session: { state: { stage: 'signed_in' } } });
      expect(errorCode((await signInWith({ code: hotpAt(22) })).body)).toBe('code_already_used');
      expect((await signInWith({ code: hotpAt(24) })).status).toBe(200);
      // Beyond 50 counters even two codes are not enough.
      expect(errorCode((await signInWith({ code: hotpAt(90), nextCode: hotpAt(91) })).body)).toBe('invalid_code');
    });

    it('accepts one code once when two sign-ins send it at the same moment', async () => {
      const user = await createUser(t, { withAuthenticator: true });
      const serial = newSerial('H');
      await importFile({ format: 'pskc', content: hotpPskc(serial, user.username) });
      expect((await activate(await signIn(t, user), serial, hotpAt(0))).status).toBe(200);
      const browsers = [await freshBrowser(t), await freshBrowser(t)];
      for (const b of browsers) await b.call(session.signIn, { body: { username: user.username, password: user.password } });
      const answers = await Promise.all(browsers.map((b) => b.call(hardwareToken.verifyHardwareToken, { body: { code: hotpAt(1) } })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
      expect(answers.map((a) => errorCode(a.body)).filter(Boolean)).toEqual(['code_already_used']);
    });

    it('counts tokens and authenticator apps together toward the limit of 5', async () => {
      const { user, serial, browser } = await userWithToken();
      for (let i = 0; i < 3; i++) await addAuthenticator(t, browser, `App ${i}`);
      t.clock.advance(30);
      expect((await activate(browser, serial, totpAt(t))).status).toBe(200);
      let info = (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;
      expect(info.canAdd.filter((c) => c.kind === 'authenticator' || c.kind === 'hardware_token').map((c) => c.remaining)).toEqual([0, 0]);
      const another = newSerial();
      await importFile({ format: 'csv', content: `${HEADER}\n${user.username},${another},${SEED_BASE32},30,,\n` });
      t.clock.advance(30);
      expect(errorCode((await activate(browser, another, totpAt(t))).body)).toBe('method_limit_reached');
      expect(errorCode((await browser.call(authenticator.startAuthenticatorSetup, { body: {} })).body)).toBe('method_limit_reached');
      info = (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;
      expect(info.methods).toHaveLength(5);
    });

    it('keeps the token assigned when its owner deletes the method, ready to activate again', async () => {
      const { serial, browser } = await userWithToken();
      t.clock.advance(30);
      const used = totpAt(t);
      const activated = await activate(browser, serial, used);
      const methodId = (activated.body as { method: { id: string } }).method.id;
      expect((await browser.call(securityInfo.deleteMethod, { params: { methodId } })).status).toBe(200);
      await reverifyAdmin();
      expect((await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: serial } })).body).toMatchObject({
        tokens: [{ activated: false, assignedTo: expect.any(String) }],
      });
      // The step used at the first activation stays used.
      expect(errorCode((await activate(browser, serial, used)).body)).toBe('invalid_code');
      t.clock.advance(30);
      expect((await activate(browser, serial, totpAt(t))).status).toBe(200);
    });

    it('lets the admin unassign an activated token: the user loses it and is told', async () => {
      const { user, serial, browser } = await userWithToken();
      t.clock.advance(30);
      expect((await activate(browser, serial, totpAt(t))).status).toBe(200);
      await reverifyAdmin();
      const [token] = (
        (await adminBrowser.call(hardwareToken.listHardwareTokens, { query: { q: serial } })).body as { tokens: Array<{ id: string }> }
      ).tokens;
      const reassign = await adminBrowser.call(hardwareToken.assignHardwareToken, {
        params: { tokenId: token!.id },
        body: { username: admin.username },
      });
      expect(errorCode(reassign.body)).toBe('token_activated');
      const unassigned = await adminBrowser.call(hardwareToken.unassignHardwareToken, { params: { tokenId: token!.id } });
      expect(unassigned.body).toMatchObject({ assignedTo: null, activated: false });
      const info = (await browser.call(securityInfo.getSecurityInfo)).body as SecurityInfo;
      expect(info.methods.map((m) => m.kind)).toEqual(['authenticator']);
      const mail = await browser.call(dev.readOutbox, { query: { to: `${user.username}@example.test` } });
      expect(JSON.stringify(mail.body)).toContain('A sign-in method was deleted');
      const assigned = await adminBrowser.call(hardwareToken.assignHardwareToken, {
        params: { tokenId: token!.id },
        body: { username: admin.username },
      });
      expect(assigned.body).toMatchObject({ assignedTo: admin.username });
      expect((await adminBrowser.call(hardwareToken.deleteHardwareToken, { params: { tokenId: token!.id } })).status).toBe(200);
    });
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminLog } from '../../shared/api/index.ts';
import { logCsvColumns, type LogFilterInput, type LogRecord } from '../../shared/api/admin-log.ts';
import { writeVerificationLog, type LogEntryInput } from '../core/audit/verification-log.ts';
import { newId } from '../core/crypto/random.ts';
import type { TestBrowser } from '../test-support/api-client.ts';
import { createUser, errorCode, freshBrowser, signIn } from '../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../test-support/test-app.ts';
import { EXPORT_PAGE_SIZE } from './verification-log-csv.ts';

interface Page {
  entries: LogRecord[];
  older: string | null;
  newer: string | null;
}

/** A user-name prefix of its own per test, so each test reads only the records it wrote. */
const uniquePrefix = (what: string) => `${what}-${randomBytes(4).toString('hex')}-`;

describe.each(testDatabases)('the administrators’ verification log (%s)', (kind) => {
  let t: TestApp;
  let admin: TestBrowser;
  beforeAll(async () => {
    t = await startTestApp(kind);
    admin = await signIn(t, await createUser(t, { withAuthenticator: true, isAdmin: true }));
  });
  afterAll(async () => t.close());

  const log = (entry: Partial<LogEntryInput> & { username: string }) =>
    writeVerificationLog(t.app.ctx, {
      event: 'sign_in.password',
      authMode: 'password',
      result: 'success',
      clientIp: '198.51.100.1',
      ...entry,
      user: { id: null, username: entry.username },
    });

  async function page(query: LogFilterInput & { cursor?: string; limit?: number }): Promise<Page> {
    const res = await admin.call(adminLog.getVerificationLog, { query });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Page;
  }

  async function csv(query: Record<string, string>) {
    const res = await admin.raw({ method: 'GET', url: `${adminLog.exportVerificationLog.path}?${new URLSearchParams(query)}` });
    return { ...res, text: String(res.body) };
  }

  it('walks many records that share one timestamp, older then newer, each exactly once and in order', async () => {
    const prefix = uniquePrefix('tie');
    // The clock stands still: every record has the same `at`, only the id orders them.
    for (let i = 0; i < 53; i++) await log({ username: `${prefix}${i % 3}` });
    t.clock.advance(1);
    for (let i = 0; i < 4; i++) await log({ username: `${prefix}later` });

    const all = await t.app.ctx.db.selectFrom('verification_log').select(['id', 'at']).where('username', 'like', `${prefix}%`).execute();
    const expected = all.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((r) => r.id);
    expect(expected).toHaveLength(57);

    const seen: string[] = [];
    const pages: Page[] = [];
    let current = await page({ user: prefix, userMatch: 'prefix', limit: 10 });
    expect(current.newer).toBeNull();
    for (;;) {
      pages.push(current);
      seen.push(...current.entries.map((e) => e.id));
      if (!current.older) break;
      current = await page({ user: prefix, userMatch: 'prefix', limit: 10, cursor: current.older });
    }
    expect(seen).toEqual(expected);
    expect(pages).toHaveLength(6);

    // Back up again with "newer": the same pages, newest last.
    const back: string[][] = [];
    let cursor = pages.at(-1)!.newer;
    while (cursor) {
      const p = await page({ user: prefix, userMatch: 'prefix', limit: 10, cursor });
      back.unshift(p.entries.map((e) => e.id));
      cursor = p.newer;
    }
    expect(back).toEqual(pages.slice(0, -1).map((p) => p.entries.map((e) => e.id)));
  });

  it('filters by user, method, result, denial reason, time and client IP, alone and together', async () => {
    const prefix = uniquePrefix('filter');
    const start = t.clock.now();
    await log({
      username: `${prefix}ann`,
      authMode: 'password',
      result: 'denied',
      denialReason: 'invalid_credentials',
      clientIp: '192.0.2.1',
    });
    t.clock.advance(60);
    await log({ username: `${prefix}ann`, authMode: 'totp', event: 'sign_in.second_factor', clientIp: '192.0.2.1' });
    t.clock.advance(60);
    await log({ username: `${prefix}annabel`, authMode: 'sms', result: 'denied', denialReason: 'invalid_code', clientIp: '192.0.2.2' });
    t.clock.advance(60);
    await log({
      username: `${prefix}bob`,
      authMode: 'password',
      result: 'denied',
      denialReason: 'invalid_credentials',
      clientIp: '192.0.2.2',
    });
    const mid = new Date(start + 90_000).toISOString();

    const names = async (query: LogFilterInput) =>
      (await page({ user: prefix, userMatch: 'prefix', ...query })).entries.map((e) => `${e.username.slice(prefix.length)}:${e.authMode}`);

    // The user name is matched exactly or as a prefix, whatever the case typed.
    expect((await page({ user: `${prefix.toUpperCase()}ANN` })).entries.map((e) => e.authMode)).toEqual(['totp', 'password']);
    expect(await names({ user: `${prefix}ann`, userMatch: 'prefix' })).toEqual(['annabel:sms', 'ann:totp', 'ann:password']);
    expect(await names({})).toEqual(['bob:password', 'annabel:sms', 'ann:totp', 'ann:password']);
    expect(await names({ method: 'password' })).toEqual(['bob:password', 'ann:password']);
    expect(await names({ result: 'success' })).toEqual(['ann:totp']);
    expect(await names({ denialReason: 'invalid_credentials' })).toEqual(['bob:password', 'ann:password']);
    expect(await names({ clientIp: '192.0.2.2' })).toEqual(['bob:password', 'annabel:sms']);
    expect(await names({ from: mid })).toEqual(['bob:password', 'annabel:sms']);
    expect(await names({ to: mid })).toEqual(['ann:totp', 'ann:password']);
    expect(await names({ from: new Date(start + 60_000).toISOString(), to: new Date(start + 120_000).toISOString() })).toEqual([
      'annabel:sms',
      'ann:totp',
    ]);
    expect(await names({ result: 'denied', clientIp: '192.0.2.1' })).toEqual(['ann:password']);
    expect(await names({ user: `${prefix}ann`, userMatch: 'prefix', result: 'denied', from: mid })).toEqual(['annabel:sms']);
    expect(await names({ method: 'webauthn' })).toEqual([]);

    const [denied] = (await page({ user: `${prefix}bob` })).entries;
    expect(denied).toMatchObject({
      username: `${prefix}bob`,
      result: 'denied',
      denialReason: 'invalid_credentials',
      clientIp: '192.0.2.2',
      serverName: t.config.serverName,
      at: new Date(start + 180_000).toISOString(),
    });
  });

  it('refuses bad filters with invalid_input', async () => {
    const bad: Record<string, string>[] = [
      { cursor: 'not a cursor' },
      { cursor: Buffer.from('o.12.x y').toString('base64url') },
      { cursor: Buffer.from('sideways.12.abc').toString('base64url') },
      { from: 'yesterday' },
      { to: '2026-13-45T99:00:00Z' },
      { limit: '0' },
      { limit: '201' },
      { limit: 'many' },
      { result: 'maybe' },
      { method: 'carrier_pigeon' },
      { userMatch: 'fuzzy', user: 'a' },
      { user: '' },
      { denialReason: 'Robert"); DROP TABLE' },
    ];
    for (const query of bad) {
      for (const path of [adminLog.getVerificationLog.path, adminLog.exportVerificationLog.path]) {
        if (path.endsWith('.csv') && ('cursor' in query || 'limit' in query)) continue;
        const res = await admin.raw({ method: 'GET', url: `${path}?${new URLSearchParams(query)}` });
        expect([res.status, errorCode(res.body), path, query]).toEqual([400, 'invalid_input', path, query]);
      }
    }
    expect((await page({ limit: 200 })).entries.length).toBeLessThanOrEqual(200);
  });

  it('is for administrators only: 401 signed out, 403 for anyone else', async () => {
    const anonymous = await freshBrowser(t);
    const someone = await signIn(t, await createUser(t, { withAuthenticator: true }));
    for (const path of [adminLog.getVerificationLog.path, adminLog.exportVerificationLog.path]) {
      const out = await anonymous.raw({ method: 'GET', url: path });
      expect([out.status, errorCode(out.body)]).toEqual([401, 'unauthenticated']);
      const forbidden = await someone.raw({ method: 'GET', url: path });
      expect([forbidden.status, errorCode(forbidden.body)]).toEqual([403, 'forbidden']);
    }
  });

  it('exports CSV: BOM, header, quoting, neutralised formulas, non-ASCII names', async () => {
    const prefix = uniquePrefix('csv');
    await writeVerificationLog(t.app.ctx, {
      user: { id: null, username: `${prefix}zoe`, first_name: 'Zoë, "Zo"', last_name: 'Łukasiewicz-Żółć', email: 'zoe@example.com' },
      event: 'sign_in.password',
      authMode: 'sms',
      result: 'denied',
      denialReason: 'invalid_code',
      phone: '+48 512 ***',
      clientIp: '192.0.2.9',
    });
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      await writeVerificationLog(t.app.ctx, {
        user: { id: null, username: `${prefix}formula`, first_name: `${lead}HYPERLINK("http://evil.example")`, last_name: 'two\r\nlines' },
        event: 'sign_in.password',
        authMode: 'password',
        result: 'success',
      });
    }

    const res = await csv({ user: prefix, userMatch: 'prefix' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="verification-log-${new Date(t.clock.now()).toISOString().slice(0, 10)}.csv"`,
    );
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const lines = res.text.slice(1).split('\r\n');
    expect(lines[0]).toBe(logCsvColumns.join(','));
    expect(lines.at(-1)).toBe('');

    const zoe = res.text.split('\r\n').find((l) => l.includes('zoe'))!;
    expect(zoe).toContain(
      `,${prefix}zoe,"Zoë, ""Zo""",Łukasiewicz-Żółć,zoe@example.com,'+48 512 ***,,sms,sign_in.password,denied,invalid_code,`,
    );
    expect(zoe.endsWith(',192.0.2.9')).toBe(true);
    // Each leading formula character is defused; the line break inside a field stays inside its quotes.
    for (const lead of ['=', '+', '-', '@', '\t']) {
      expect(res.text).toContain(`,${prefix}formula,"'${lead}HYPERLINK(""http://evil.example"")","two\r\nlines",`);
    }
    expect(res.text).toContain(`,${prefix}formula,"'\rHYPERLINK(""http://evil.example"")","two\r\nlines",`);
    expect(res.text).not.toMatch(/,=HYPERLINK/);
  });

  it('ends the CSV correctly for no records and for more records than one export page', async () => {
    const none = await csv({ user: uniquePrefix('nobody'), userMatch: 'prefix' });
    expect(none.status).toBe(200);
    expect(none.text).toBe(`\uFEFF${logCsvColumns.join(',')}\r\n`);

    const prefix = uniquePrefix('many');
    const count = EXPORT_PAGE_SIZE * 2 + 37;
    const at = t.clock.now();
    const rows = Array.from({ length: count }, (_, i) => ({
      id: newId(),
      at: at - (i % 7) * 1000,
      user_id: null,
      username: `${prefix}${i % 5}`,
      auth_mode: 'totp',
      event: 'sign_in.second_factor',
      result: 'success',
      server_name: 'bench',
    }));
    for (let i = 0; i < rows.length; i += 500)
      await t.app.ctx.db
        .insertInto('verification_log')
        .values(rows.slice(i, i + 500))
        .execute();

    const many = await csv({ user: prefix, userMatch: 'prefix' });
    expect(many.status).toBe(200);
    const lines = many.text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    // An id may begin with '-' (base64url), which the export defuses like any other cell.
    const ids = lines.slice(1, -1).map((l) => l.split(',')[0]!.replace(/^'-/, '-'));
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
  });
});

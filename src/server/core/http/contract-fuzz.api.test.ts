import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEndpoints, session } from '../../../shared/api/index.ts';
import { apiErrorSchema, type ErrorCode } from '../../../shared/errors.ts';
import { demoAccounts, seedDemoOrganisation } from '../../demo/seed.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';
import { changedTables, installChangeCounters, type ChangeCounts } from '../../test-support/change-counters.ts';
import { createUser, freshBrowser, signIn, stageOf } from '../../test-support/flows.ts';
import { fuzzRequests, type FuzzRequest } from '../../test-support/fuzz-requests.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';

/**
 * Property-based tests generated from the contract: every endpoint gets
 * FUZZ_RUNS (500 by default; README: "Fuzzing") generated requests on each
 * database, valid ones with hostile values in each field, wrong types,
 * missing fields, wrong content types and malformed paths, signed in as an
 * administrator with a valid CSRF token and not. A new endpoint in
 * `src/shared/api/` is fuzzed without editing this file.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 500);
/** Replays a failure: fast-check prints the seed it used. */
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

/** Codes the client has a sentence for. */
const translated = new Set(Object.keys(JSON.parse(readFileSync(join(import.meta.dirname, '../../../../locales/en/errors.json'), 'utf8'))));

/** Refused before any handler ran: not a single row may change. */
const refusedAtTheEdge = new Set<ErrorCode>([
  'invalid_input',
  'invalid_text',
  'unsupported_media_type',
  'payload_too_large',
  'csrf_failed',
]);
/** A handler's refusal is written down (the verification log) and counted (throttles), and changes nothing else. */
const refusalRecords = ['verification_log', 'throttle_counters', 'rate_events'];

describe.each(testDatabases)('every endpoint of the contract under generated requests (%s)', (kind) => {
  let t: TestApp;
  let anonymous: TestBrowser;
  let counters: Awaited<ReturnType<typeof installChangeCounters>>;
  let total = 0;

  beforeAll(async () => {
    t = await startTestApp(kind);
    await seedDemoOrganisation(t.app.ctx);
    anonymous = await freshBrowser(t);
    counters = await installChangeCounters(kind, t.app.ctx.db);
  });
  afterAll(async () => {
    await t.close();
  });

  const send = async (admin: TestBrowser, req: FuzzRequest) => {
    const browser = req.caller === 'admin' ? admin : req.caller === 'anonymous' ? anonymous : undefined;
    const csrf = req.csrf === 'valid' ? (browser ?? anonymous).csrfToken : req.csrf === 'forged' ? 'forged-token' : undefined;
    const headers: Record<string, string> = {};
    if (browser?.sessionCookie) headers.cookie = browser.sessionCookie;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (req.contentType) headers['content-type'] = req.contentType;
    if (req.authorization) headers.authorization = req.authorization;
    return t.app.inject({
      method: req.method,
      url: req.url,
      headers,
      remoteAddress: req.ip,
      ...(req.payload !== undefined ? { payload: req.payload } : {}),
    });
  };

  it.each(allEndpoints.map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s: never a 5xx, errors in the contract’s shape, refusals change nothing',
    async (_name, def) => {
      // A fresh administrator session (with a recent verification) for each endpoint: another one's requests may have ended or aged it.
      const admin = await signIn(t, await createUser(t, { withAuthenticator: true, isAdmin: true }));
      // Signing in moved the clock on; using the anonymous session once now refreshes its last-seen time, which
      // would otherwise show up as a changed row on the first refused request.
      await anonymous.call(session.getSession);
      let before: ChangeCounts = await counters.take();
      await fc.assert(
        fc.asyncProperty(fuzzRequests(def), async (req) => {
          total += 1;
          const res = await send(admin, req);
          expect(res.statusCode, res.body).toBeLessThan(500);
          // A success may have queued a notice: the mail worker sends it now, so its writes to the
          // queue count with the request that caused them, not with a later refused one.
          if (res.statusCode < 400) await t.app.ctx.mail.flush();
          const after = await counters.take();
          if (res.statusCode >= 400) {
            const parsed = apiErrorSchema.safeParse(res.json());
            expect(parsed.success, res.body).toBe(true);
            const code = parsed.data!.error.code;
            expect(translated.has(code), code).toBe(true);
            const allowed = refusedAtTheEdge.has(code) ? [] : refusalRecords;
            expect(
              changedTables(before, after).filter((table) => !allowed.includes(table)),
              `${res.statusCode} ${code} changed rows`,
            ).toEqual([]);
          }
          before = after;
        }),
        { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
      );
    },
    600_000,
  );

  it('still serves the demo users afterwards', async () => {
    for (const account of demoAccounts) {
      // From an address the generated requests never used, as another person would.
      const browser = await freshBrowser(t, '192.0.2.77');
      const res = await browser.call(session.signIn, {
        body: { username: account.username, password: account.password },
      });
      expect(res.status, account.username).toBe(200);
      expect(['second_factor', 'registration', 'signed_in']).toContain(stageOf(res.body));
    }
    expect(total).toBeGreaterThanOrEqual(allEndpoints.length * runs);
  });
});

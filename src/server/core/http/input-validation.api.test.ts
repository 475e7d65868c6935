import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allEndpoints, securityInfo, session } from '../../../shared/api/index.ts';
import type { EndpointDef } from '../../../shared/endpoint.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import { createUser, freshBrowser, signIn } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';

/** Garbage bodies and the exact answer each must get from every state-changing route. */
const garbageBodies: Array<[string, string | ((def: EndpointDef) => string), string, number, ErrorCode]> = [
  ['malformed JSON', '{"code":', 'application/json', 400, 'invalid_input'],
  ['a JSON array', '[1,2,3]', 'application/json', 400, 'invalid_input'],
  ['a JSON string', '"hello"', 'application/json', 400, 'invalid_input'],
  [
    'wrong field types',
    JSON.stringify({ code: 123456, username: 5, password: [], methodId: {}, label: null, setupId: 7 }),
    'application/json',
    400,
    'invalid_input',
  ],
  [
    'over-long strings',
    JSON.stringify({ username: 'x'.repeat(5000), password: 'y'.repeat(5000), label: 'z'.repeat(500), code: '1'.repeat(100) }),
    'application/json',
    400,
    'invalid_input',
  ],
  ['a prototype-pollution key', '{"__proto__":{"isAdmin":true}}', 'application/json', 400, 'invalid_input'],
  ['a form body', 'username=a&password=b', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
  ['a text body', 'hello', 'text/plain', 415, 'unsupported_media_type'],
  // Over the server's 64 KiB, or over the endpoint's own limit where it has one (a file import).
  [
    'a body over the size limit',
    (def) => JSON.stringify({ label: 'x'.repeat((def.bodyLimit ?? 64 * 1024) + 1_000) }),
    'application/json',
    413,
    'payload_too_large',
  ],
];

const fillParams = (def: EndpointDef, value: string) => def.path.replace(/:([A-Za-z]+)/g, encodeURIComponent(value));
const sample = (def: EndpointDef) => fillParams(def, 'no-such-thing');

describe.each(testDatabases)('every route refuses bad input with a 4xx (%s)', (kind) => {
  let t: TestApp;
  let browser: TestBrowser;
  let before: unknown;
  beforeAll(async () => {
    t = await startTestApp(kind);
    browser = await signIn(t, await createUser(t, { withAuthenticator: true }));
    before = (await browser.call(securityInfo.getSecurityInfo)).body;
  });
  afterAll(async () => t.close());

  const bodied = allEndpoints.filter((e) => e.method !== 'GET');
  const cases = bodied.flatMap((e) =>
    garbageBodies.map(
      ([what, payload, type, status, code]) =>
        [`${e.method} ${e.path} with ${what}`, e, typeof payload === 'string' ? payload : payload(e), type, status, code] as const,
    ),
  );

  // Exact answers: a route that was never mounted answers 404 and fails here.
  it.each(cases)('%s', async (_name, def, payload, type, status, code) => {
    const res = await browser.raw({
      method: def.method,
      url: sample(def),
      payload,
      headers: { 'content-type': type, 'x-csrf-token': browser.csrfToken! },
    });
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
  });

  /**
   * What a signed-in user who is not an administrator gets for a path and a
   * query no schema accepts: `invalid_input` wherever a part is refused; where
   * every part passes (a user name may contain dots and slashes), the guard's
   * answer, which for those routes is "administrators only".
   */
  const badQuery = { limit: '-5', 'to[]': 'x', channel: 'pigeon' };
  const expectedForBadPath = (def: EndpointDef): [number, ErrorCode] => {
    const params = Object.fromEntries([...def.path.matchAll(/:([A-Za-z]+)/g)].map((m) => [m[1]!, '../../etc/passwd']));
    const refused =
      (def.params && !z.safeParse(def.params, params).success) ||
      (def.query && !z.safeParse(def.query, badQuery).success) ||
      (def.method !== 'GET' && !z.safeParse(def.body ?? z.strictObject({}), {}).success);
    if (refused) return [400, 'invalid_input'];
    if (def.guard?.admin) return [403, 'forbidden'];
    throw new Error(`no expected answer for ${def.method} ${def.path}: add one`);
  };
  it.each(allEndpoints.filter((e) => e.params || e.query).map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s with malformed path or query parameters',
    async (_name, def) => {
      const url = fillParams(def, '../../etc/passwd') + '?limit=-5&to[]=x&channel=pigeon';
      const res = await browser.raw({ method: def.method, url, headers: { 'x-csrf-token': browser.csrfToken! } });
      const [status, code] = expectedForBadPath(def);
      expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
    },
  );

  it.each([
    ['a malformed percent-escape', 'DELETE', '/api/methods/%zz', 400, 'invalid_input'],
    ['an encoded lone surrogate', 'DELETE', '/api/methods/%ED%A0%80', 400, 'invalid_input'],
    ['a parameter over the router limit', 'DELETE', `/api/methods/${'a'.repeat(300)}`, 414, 'invalid_input'],
    ['a parameter over the schema limit', 'DELETE', `/api/methods/${'a'.repeat(101)}`, 400, 'invalid_input'],
    ['a NUL in a user name', 'DELETE', '/api/admin/users/a%00b/app-passwords', 400, 'invalid_text'],
    ['an unknown API route', 'GET', '/api/nothing-here', 404, 'not_found'],
    ['a method the route does not have', 'PUT', '/api/session', 404, 'not_found'],
  ] as const)('answers %s in the contract’s shape', async (_what, method, url, status, code) => {
    const res = await browser.raw({ method, url, headers: { 'x-csrf-token': browser.csrfToken! } });
    expect({ status: res.status, body: res.body }).toEqual({ status, body: { error: expect.objectContaining({ code }) } });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses control characters and lone surrogates in user text with invalid_text, on sign-in too', async () => {
    const anonymous = await freshBrowser(t);
    for (const username of ['a\u0000b', 'a\u0085b', 'a\ud800b', '\u001b[31mred']) {
      const res = await anonymous.raw({
        method: 'POST',
        url: session.signIn.path,
        // JSON.stringify escapes them, as a browser sends them.
        payload: JSON.stringify({ username, password: 'x' }),
        headers: { 'content-type': 'application/json', 'x-csrf-token': anonymous.csrfToken! },
      });
      expect({ status: res.status, body: res.body }, username).toEqual({
        status: 400,
        body: { error: { code: 'invalid_text', fields: [{ path: 'body.username', issue: 'custom' }] } },
      });
    }
  });

  it('lost no stored data', async () => {
    expect((await browser.call(securityInfo.getSecurityInfo)).body).toEqual(before);
  });

  const protectedEndpoints = bodied.filter((e) => !e.csrfExempt);
  it.each(protectedEndpoints.map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s refuses a missing or wrong CSRF token',
    async (_n, def) => {
      for (const headers of [{}, { 'x-csrf-token': 'forged' }, { 'x-csrf-token': browser.csrfToken!, origin: 'https://evil.example' }]) {
        const res = await browser.raw({ method: def.method, url: sample(def), payload: {}, headers });
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ error: { code: 'csrf_failed' } });
      }
    },
  );

  it('serves an OpenAPI document generated from the contract', async () => {
    const res = await browser.raw({ method: 'GET', url: '/api/openapi.json' });
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.0.3');
    for (const e of allEndpoints) expect(doc.paths).toHaveProperty([e.path.replace(/:([A-Za-z]+)/g, '{$1}')]);
  });

  it('sends the security headers, and no-store on every answer that carries personal data', async () => {
    const res = await browser.raw({ method: 'GET', url: '/api/session' });
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    // No camera (the app shows QR codes, it never scans one), no geolocation, microphone or payments.
    const permissions = String(res.headers['permissions-policy']).split(/,\s*/);
    expect(permissions).toEqual(expect.arrayContaining(['camera=()', 'geolocation=()', 'microphone=()']));
    const personal = ['/api/session', '/api/security-info', '/api/activity', '/api/app-passwords', '/api/admin/users', '/legacy/v1/whoami'];
    for (const url of personal) {
      const answer = await browser.raw({ method: 'GET', url });
      expect(answer.headers['cache-control'], url).toBe('no-store');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEndpoints, securityInfo } from '../../../shared/api/index.ts';
import type { EndpointDef } from '../../../shared/endpoint.ts';
import { apiErrorSchema } from '../../../shared/errors.ts';
import { createUser, signIn } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import type { TestBrowser } from '../../test-support/api-client.ts';

const garbageBodies: Array<[string, string, string]> = [
  ['malformed JSON', '{"code":', 'application/json'],
  ['a JSON array', '[1,2,3]', 'application/json'],
  ['a JSON string', '"hello"', 'application/json'],
  [
    'wrong field types',
    JSON.stringify({ code: 123456, username: 5, password: [], methodId: {}, label: null, setupId: 7 }),
    'application/json',
  ],
  [
    'over-long strings',
    JSON.stringify({ username: 'x'.repeat(5000), password: 'y'.repeat(5000), label: 'z'.repeat(500), code: '1'.repeat(100) }),
    'application/json',
  ],
  ['a form body', 'username=a&password=b', 'application/x-www-form-urlencoded'],
  ['a body over the size limit', JSON.stringify({ label: 'x'.repeat(100_000) }), 'application/json'],
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
    garbageBodies.map(([what, payload, type]) => [`${e.method} ${e.path} with ${what}`, e, payload, type] as const),
  );

  it.each(cases)('%s', async (_name, def, payload, type) => {
    const res = await browser.raw({
      method: def.method,
      url: sample(def),
      payload,
      headers: { 'content-type': type, 'x-csrf-token': browser.csrfToken! },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(apiErrorSchema.safeParse(res.body).success).toBe(true);
  });

  it.each(allEndpoints.filter((e) => e.params || e.query).map((e) => [`${e.method} ${e.path}`, e] as const))(
    '%s with malformed path or query parameters',
    async (_name, def) => {
      const url = fillParams(def, '../../etc/passwd') + '?limit=-5&to[]=x&channel=pigeon';
      const res = await browser.raw({ method: def.method, url, headers: { 'x-csrf-token': browser.csrfToken! } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(apiErrorSchema.safeParse(res.body).success).toBe(true);
    },
  );

  it('answers unknown API paths with a coded 404', async () => {
    const res = await browser.raw({ method: 'GET', url: '/api/nothing-here' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found' } });
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

  it('sends the security headers', async () => {
    const res = await browser.raw({ method: 'GET', url: '/api/session' });
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

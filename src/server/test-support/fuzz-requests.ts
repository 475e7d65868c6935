import fc from 'fast-check';
import type { z } from 'zod';
import type { EndpointDef } from '../../shared/endpoint.ts';
import { deeplyNested, fuzzValue, hostileFragments } from './contract-arbitraries.ts';

/** Who sends a generated request: a signed-in administrator, an anonymous session, or nobody at all. */
export type FuzzCaller = 'admin' | 'anonymous' | 'no-session';

export interface FuzzRequest {
  caller: FuzzCaller;
  csrf: 'valid' | 'missing' | 'forged';
  method: EndpointDef['method'];
  url: string;
  contentType: string | undefined;
  payload: string | undefined;
  /** An Authorization header, for the legacy endpoint's HTTP Basic (sent to every endpoint: none may trip on it). */
  authorization: string | undefined;
  ip: string;
}

/** Percent-encodes a path segment; a lone surrogate (which encodeURIComponent refuses) as the UTF-8 bytes of its code unit. */
function encodeSegment(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += Array.from(Buffer.from([0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]))
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** Segments no valid value encodes to: malformed escapes, an encoded lone surrogate, NUL, traversal, length. */
const rawBadSegments = ['%zz', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%00', '..', '%2e%2e%2f', 'a'.repeat(257), '%F0%9F%98'];

function segmentArbitrary(schema: z.core.$ZodType | undefined): fc.Arbitrary<string> {
  const value = schema ? fuzzValue(schema) : fc.string({ maxLength: 12 });
  return fc.oneof(
    { weight: 4, arbitrary: value.map((v) => encodeSegment(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))) },
    { weight: 1, arbitrary: fc.constantFrom(...rawBadSegments) },
  );
}

function pathArbitrary(def: EndpointDef): fc.Arbitrary<string> {
  const shape = ((def.params as z.ZodObject | undefined)?.shape ?? {}) as Record<string, z.core.$ZodType>;
  const names = [...def.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  if (!names.length) return fc.constant(def.path);
  return fc.tuple(...names.map((n) => segmentArbitrary(shape[n]))).map((values) => {
    let i = 0;
    return def.path.replace(/:([A-Za-z]+)/g, () => values[i++]!);
  });
}

/** Query values as a browser would send them: strings, repeated keys for arrays, brackets for objects. */
function toQueryString(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `q=${encodeSegment(String(value))}`;
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const k = encodeSegment(key);
    if (Array.isArray(v)) for (const item of v) parts.push(`${k}=${encodeSegment(String(item))}`);
    else if (typeof v === 'object' && v !== null) parts.push(`${k}[a]=${encodeSegment(JSON.stringify(v))}`);
    else parts.push(`${k}=${encodeSegment(String(v))}`);
  }
  return parts.join('&');
}

function queryArbitrary(def: EndpointDef): fc.Arbitrary<string> {
  const junk = fc.constantFrom(
    '',
    'limit=-5',
    'to[]=x',
    'a=1&a=2',
    '__proto__[isAdmin]=true',
    'constructor[prototype][x]=1',
    '%zz=1',
    'q=%00',
  );
  if (!def.query) return fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: junk });
  return fc.oneof({ weight: 4, arbitrary: fuzzValue(def.query).map(toQueryString) }, { weight: 1, arbitrary: junk });
}

/** Bodies no schema could make: broken or odd JSON, pollution keys as JSON text, deep nesting, too large. */
const rawBodies = [
  '{"username":',
  '[1,2,3]',
  '"text"',
  'null',
  '',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  JSON.stringify(deeplyNested(1000)),
  '['.repeat(5000) + ']'.repeat(5000),
  JSON.stringify({ label: 'x'.repeat(70_000) }),
  '{"a":1,"a":2}',
  '\ufeff{}',
  `{"label":"${hostileFragments.join('')}"}`,
];

function bodyArbitrary(def: EndpointDef): fc.Arbitrary<string | undefined> {
  if (def.method === 'GET') return fc.constant(undefined);
  const generated = (def.body ? fuzzValue(def.body) : fc.constantFrom<unknown>({}, { unexpected: 1 }, [])).map((v) => JSON.stringify(v));
  return fc.oneof({ weight: 6, arbitrary: generated }, { weight: 1, arbitrary: fc.constantFrom(...rawBodies) });
}

const contentTypes = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/xml',
      'application/json\u0000',
      '*/*',
    ),
  },
);

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

/** HTTP Basic credentials with hostile user names and passwords, and headers that are not Basic at all. */
const authorizations: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...hostileFragments)), fc.string({ maxLength: 30 }))
      .map(([user, password]) => basic(`fuzz-${user}:${password}`)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('Basic', 'Basic %%%', 'Basic Og==', basic(':x'), basic('a:'), 'Bearer x', `Basic ${'QUFB'.repeat(400)}`),
  },
);

/** A pool of client addresses, so per-IP throttles do not end every sign-in fuzz run at the hundredth try. */
const ips = fc.integer({ min: 1, max: 250 }).map((n) => `198.51.100.${n}`);

/** Requests for one endpoint of the contract: its method and path, everything else generated. */
export function fuzzRequests(def: EndpointDef): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    caller: fc.constantFrom<FuzzCaller>('admin', 'admin', 'anonymous', 'no-session'),
    csrf: fc.constantFrom<FuzzRequest['csrf']>('valid', 'valid', 'valid', 'missing', 'forged'),
    method: fc.constant(def.method),
    url: fc.tuple(pathArbitrary(def), queryArbitrary(def)).map(([path, query]) => (query ? `${path}?${query}` : path)),
    contentType: def.method === 'GET' ? fc.constant(undefined) : contentTypes,
    payload: bodyArbitrary(def),
    authorization: authorizations,
    ip: ips,
  });
}

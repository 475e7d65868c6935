import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CheckWriter, generateFor } from '../../scripts/contract-validators.ts';
import { allEndpoints } from './api/index.ts';
import { apiErrorSchema } from './errors.ts';
import { fuzzValue, validValue } from '../server/test-support/contract-arbitraries.ts';
import { checker, type Check } from '../client/api/contract-check.ts';

/** The generated check for a schema, evaluated as the browser build would. */
function generated(schema: z.ZodType, where: string) {
  const writer = new CheckWriter(where);
  const name = writer.check(schema as never);
  const check = new Function(`${writer.declarations.join('\n')}\nreturn ${name};`)() as Check;
  return checker(check);
}

const schemas: Array<[string, z.ZodType]> = [
  ['error body', apiErrorSchema],
  ...allEndpoints.map((e): [string, z.ZodType] => [`${e.method} ${e.path}`, e.response as z.ZodType]),
];

describe('the generated response checks agree with zod', () => {
  it.each(schemas)('%s', (where, schema) => {
    const check = generated(schema, where);
    fc.assert(
      fc.property(fuzzValue(schema), (value) => {
        const expected = schema.safeParse(value);
        const actual = check.safeParse(value);
        expect(actual.success).toBe(expected.success);
        if (expected.success && actual.success) expect(actual.data).toStrictEqual(expected.data);
      }),
      { numRuns: 60 },
    );
    fc.assert(
      // More of the values the contract accepts (the arbitraries cannot build every custom check's value).
      fc.property(validValue(schema), (value) => {
        expect(check.safeParse(value).success).toBe(schema.safeParse(value).success);
      }),
      { numRuns: 20 },
    );
  });

  it('drops unknown fields like zod, refuses what strict objects refuse, and fills defaults', () => {
    const body = { error: { code: 'rate_limited', retryAfterSeconds: 3, extra: 'x' } };
    expect(generated(apiErrorSchema, 'error').parse(body)).toStrictEqual({ error: { code: 'rate_limited', retryAfterSeconds: 3 } });
    expect(generated(apiErrorSchema, 'error').safeParse({ error: { code: 'no_such_code' } }).success).toBe(false);
    expect(() => generated(apiErrorSchema, 'error').parse({ error: { code: 'rate_limited', retryAfterSeconds: 1.5 } })).toThrow();
  });
});

describe('the generated contract modules', () => {
  it('are not where a module the browser parses with zod takes its schemas from', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const offending = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap((f) => {
        const source = readFileSync(join(dir, f), 'utf8');
        if (!/from 'zod/.test(source)) return [];
        return [...source.matchAll(/^import \{([^}]*)\} from '(\.\/api\/[^']+|\.\/errors\.ts)';/gm)]
          .filter((m) => m[1]!.split(',').some((name) => name.trim() && !name.trim().startsWith('type ')))
          .map((m) => `${f} → ${m[2]}`);
      });
    expect(offending).toEqual([]);
  });

  it('keep plain data and endpoints, re-export functions from schema-free modules, and leave zod out', async () => {
    const phone = await generateFor(new URL('./api/phone.ts', import.meta.url).pathname, '/checker.ts');
    expect(phone).toContain("export { allowedDeliveries, deliveriesFor } from '../phone/deliveries.ts';");
    expect(phone).toMatch(/export const startPhoneSetup = \{ "method": "POST", "path": "[^"]+", response: checker\(c\d+\) \};/);
    expect(phone).not.toMatch(/from 'zod/);
    const errors = await generateFor(new URL('./errors.ts', import.meta.url).pathname, '/checker.ts');
    expect(errors).toContain('export const errorCodes = ["invalid_input"');
    expect(errors).toMatch(/export const apiErrorSchema = checker\(c\d+\);/);
  });

  it('refuse a response schema that needs zod, naming the file', () => {
    const writer = new CheckWriter('src/shared/api/example.ts');
    const trimmed = { _zod: { def: { type: 'string', checks: [{ _zod: { def: { check: 'overwrite' } } }] } } };
    expect(() => writer.check(trimmed)).toThrow(/example\.ts: a string schema \(check overwrite\)/);
  });
});

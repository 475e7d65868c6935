import fc from 'fast-check';
import type { z } from 'zod';

/*
 * fast-check arbitraries derived from the contract's zod schemas, by walking
 * zod 4's schema definitions (`schema._zod.def`), so a new endpoint is fuzzed
 * without touching a test. zod-fast-check, the bridge for this job, supports
 * zod 3 only (its peer range is zod ^3 and fast-check <4), hence this walker.
 *
 * `validValue` aims at values the schema accepts (best effort: refinements
 * and transforms it cannot see may still refuse them); `hostileValue` at
 * values that attack one part of it: control characters, lone surrogates,
 * direction marks, emoji, the maximum length and one more, wrong types,
 * missing and extra fields, prototype-pollution keys, deep nesting.
 */

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const schemaOf = (value: unknown): z.core.$ZodType => value as z.core.$ZodType;

interface CheckDef {
  readonly check: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly value?: number | bigint;
  readonly inclusive?: boolean;
  readonly format?: string;
  readonly pattern?: RegExp;
}

const checksOf = (def: Def): CheckDef[] => ((def.checks as Array<{ _zod: { def: CheckDef } }> | undefined) ?? []).map((c) => c._zod.def);

interface StringFacts {
  min: number;
  max: number;
  pattern?: RegExp;
  format?: string;
}

function stringFacts(def: Def): StringFacts {
  const facts: StringFacts = { min: 0, max: 256 };
  if (typeof def.format === 'string') facts.format = def.format;
  for (const c of checksOf(def)) {
    if (c.check === 'min_length' && c.minimum !== undefined) facts.min = c.minimum;
    if (c.check === 'max_length' && c.maximum !== undefined) facts.max = c.maximum;
    if (c.check === 'string_format' && c.pattern) facts.pattern = c.pattern;
  }
  return facts;
}

function numberFacts(def: Def): { min: number; max: number; integer: boolean } {
  let min = -1e9;
  let max = 1e9;
  let integer = false;
  for (const c of checksOf(def)) {
    if (c.check === 'number_format' && (c.format === 'safeint' || c.format === 'int32')) integer = true;
    if (c.check === 'greater_than') min = Number(c.value) + (c.inclusive ? 0 : 1);
    if (c.check === 'less_than') max = Number(c.value) - (c.inclusive ? 0 : 1);
  }
  return { min, max, integer };
}

/** Characters and strings that have broken servers, databases and logs. */
export const hostileFragments: readonly string[] = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\t',
  '\n',
  '\r\n',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009f',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '\u200b',
  '\u200e',
  '\u200f',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  '\ufffe',
  '\uffff',
  'e\u0301',
  '\u212b',
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  'ﷺ',
  '𒐫',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '%',
  '_',
  '\\',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  '   ',
];

const fragment = fc.constantFrom(...hostileFragments);

/** JSON that nests `depth` levels. */
export const deeplyNested = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
};

/** Values of the wrong JSON type for almost any field. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(''),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.integer({ min: 20, max: 400 }).map(deeplyNested),
);

function validString(def: Def): fc.Arbitrary<string> {
  const { min, max, pattern, format } = stringFacts(def);
  if (format === 'datetime') {
    return fc
      .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (pattern) {
    return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= max);
  }
  const short = fc.string({ minLength: Math.max(min, 1), maxLength: Math.max(min, Math.min(max, 24)) });
  return fc.oneof({ weight: 4, arbitrary: short }, { weight: 1, arbitrary: fc.constant('x'.repeat(max)) });
}

function hostileString(def: Def): fc.Arbitrary<unknown> {
  const { max } = stringFacts(def);
  const valid = validString(def);
  return fc.oneof(
    fragment,
    fc.tuple(valid, fragment, fc.nat()).map(([s, f, at]) => {
      const i = s.length ? at % (s.length + 1) : 0;
      return s.slice(0, i) + f + s.slice(i);
    }),
    fc.constant('x'.repeat(max)),
    fc.constant('x'.repeat(max + 1)),
    fc.constant('😀'.repeat(Math.ceil(max / 2) + 1)),
    fc.string({ unit: 'binary', maxLength: 40 }),
    wrongType,
  );
}

function objectArbitrary(def: Def, item: (s: z.core.$ZodType) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const shape = (def.shape ?? {}) as Record<string, z.core.$ZodType>;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [key, value] of Object.entries(shape)) {
    model[key] = item(value);
    if (!isOptional(value)) requiredKeys.push(key);
  }
  return fc.record(model, { requiredKeys });
}

function isOptional(schema: z.core.$ZodType): boolean {
  const type = defOf(schema).type;
  return type === 'optional' || type === 'default' || type === 'prefault';
}

/** Values the schema should accept. */
export function validValue(schema: z.core.$ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return validString(def);
    case 'number': {
      const { min, max, integer } = numberFacts(def);
      return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'object':
      return objectArbitrary(def, validValue);
    case 'array': {
      const facts = stringFacts(def);
      return fc.array(validValue(schemaOf(def.element)), { minLength: facts.min, maxLength: Math.max(facts.min, Math.min(facts.max, 3)) });
    }
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return validValue(schemaOf(def.innerType));
    case 'pipe': {
      // A transform's output cannot be generated from; its input can.
      const out = schemaOf(def.out);
      return defOf(out).type === 'transform' ? validValue(schemaOf(def.in)) : validValue(out);
    }
    case 'union':
      return fc.oneof(...(def.options as z.core.$ZodType[]).map(validValue));
    case 'never':
      return fc.constant(undefined);
    default:
      // transform, custom, any, unknown: anything goes.
      return fc.oneof(fc.string({ maxLength: 20 }), wrongType);
  }
}

/** The pollution keys, set as own properties so JSON.stringify sends them. */
const pollutionKeys = ['__proto__', 'constructor', 'prototype'] as const;

function withOwnKey(value: Record<string, unknown>, key: string, extra: unknown): Record<string, unknown> {
  const copy = { ...value };
  Object.defineProperty(copy, key, { value: extra, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Values that attack the schema: one part wrong, hostile or missing. */
export function hostileValue(schema: z.core.$ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return hostileString(def);
    case 'number': {
      const { min, max } = numberFacts(def);
      return fc.oneof(
        fc.constantFrom(min - 1, max + 1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
        fc.integer().map(String),
        wrongType,
      );
    }
    case 'enum':
    case 'literal':
      return fc.oneof(fragment, fc.string({ maxLength: 12 }), wrongType);
    case 'object': {
      const shape = (def.shape ?? {}) as Record<string, z.core.$ZodType>;
      const keys = Object.keys(shape);
      const valid = objectArbitrary(def, validValue);
      const variants: Array<fc.Arbitrary<unknown>> = [
        wrongType,
        fc
          .tuple(valid, fc.constantFrom(...pollutionKeys), fc.constantFrom<unknown>({ isAdmin: true }, { prototype: { isAdmin: true } }, 1))
          .map(([v, key, extra]) => withOwnKey(v, key, extra)),
        fc.tuple(valid, fc.string({ minLength: 1, maxLength: 12 }), wrongType).map(([v, key, extra]) => withOwnKey(v, key, extra)),
      ];
      if (keys.length) {
        variants.push(
          fc.tuple(valid, fc.constantFrom(...keys)).map(([v, key]) => {
            const copy = { ...v };
            delete copy[key];
            return copy;
          }),
          fc
            .constantFrom(...keys)
            .chain((key) => fc.tuple(valid, fc.constant(key), hostileValue(shape[key]!)))
            .map(([v, key, bad]) => withOwnKey(v, key, bad)),
        );
      }
      return fc.oneof(...variants);
    }
    case 'array': {
      const { max } = stringFacts(def);
      const element = schemaOf(def.element);
      return fc.oneof(
        fc.array(validValue(element), { minLength: max + 1, maxLength: max + 1 }),
        fc.array(hostileValue(element), { minLength: 1, maxLength: 3 }),
        wrongType,
      );
    }
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return hostileValue(schemaOf(def.innerType));
    case 'pipe':
      return fc.oneof(hostileValue(schemaOf(def.in)), hostileValue(schemaOf(def.out)));
    case 'union':
      return fc.oneof(...(def.options as z.core.$ZodType[]).map(hostileValue));
    default:
      return fc.oneof(fragment, wrongType);
  }
}

/** A valid value most of the time, a hostile one otherwise. */
export function fuzzValue(schema: z.core.$ZodType): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 1, arbitrary: validValue(schema) }, { weight: 3, arbitrary: hostileValue(schema) });
}

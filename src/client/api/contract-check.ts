/**
 * The client's response checker. The production build replaces each contract module
 * (src/shared/api/*.ts, src/shared/errors.ts) with one generated from the same zod schemas
 * (scripts/contract-validators.ts): each schema becomes a small description that this checker
 * walks, so the client keeps parsing every response with the contract without shipping zod
 * (docs/reference.md#client-contract). Tests and the dev server use the zod modules themselves;
 * src/shared/client-contract-checks.test.ts shows both agree on every response schema.
 */

/** A schema as the generator describes it: only what a JSON response needs. */
export type Check =
  | { t: 'string'; min?: number; max?: number; re?: RegExp[] }
  | { t: 'number'; int?: boolean; gt?: [number, boolean]; lt?: [number, boolean] }
  | { t: 'boolean' }
  | { t: 'any' }
  | { t: 'values'; values: readonly unknown[] }
  | { t: 'object'; shape: Record<string, Check>; extra: 'strip' | 'strict' | 'keep' }
  | { t: 'array'; element: Check; min?: number; max?: number }
  | { t: 'optional' | 'nullable'; inner: Check }
  | { t: 'default' | 'prefault'; inner: Check; value: unknown }
  | { t: 'union'; options: Check[] }
  | { t: 'pipe'; in: Check; out: Check }
  | { t: 'custom'; fn: (value: unknown) => unknown };

const FAIL: unique symbol = Symbol('fail');
type Result = unknown | typeof FAIL;

function run(c: Check, v: unknown): Result {
  switch (c.t) {
    case 'string':
      if (typeof v !== 'string') return FAIL;
      if ((c.min !== undefined && v.length < c.min) || (c.max !== undefined && v.length > c.max)) return FAIL;
      return c.re && !c.re.every((re) => ((re.lastIndex = 0), re.test(v))) ? FAIL : v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v) || (c.int && !Number.isSafeInteger(v))) return FAIL;
      if (c.gt && (c.gt[1] ? v < c.gt[0] : v <= c.gt[0])) return FAIL;
      return c.lt && (c.lt[1] ? v > c.lt[0] : v >= c.lt[0]) ? FAIL : v;
    case 'boolean':
      return typeof v === 'boolean' ? v : FAIL;
    case 'any':
      return v;
    case 'values':
      return c.values.includes(v) ? v : FAIL;
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAIL;
      const input = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(c.shape)) {
        const r = run(c.shape[key]!, input[key]);
        if (r === FAIL) return FAIL;
        if (r !== undefined || key in input) out[key] = r;
      }
      for (const key of Object.keys(input)) {
        if (key in c.shape) continue;
        if (c.extra === 'strict') return FAIL;
        if (c.extra === 'keep') out[key] = input[key];
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(v)) return FAIL;
      if ((c.min !== undefined && v.length < c.min) || (c.max !== undefined && v.length > c.max)) return FAIL;
      const out: unknown[] = [];
      for (const item of v) {
        const r = run(c.element, item);
        if (r === FAIL) return FAIL;
        out.push(r);
      }
      return out;
    }
    case 'optional':
      return v === undefined ? v : run(c.inner, v);
    case 'nullable':
      return v === null ? v : run(c.inner, v);
    case 'default':
      return v === undefined ? structuredClone(c.value) : run(c.inner, v);
    case 'prefault':
      return run(c.inner, v === undefined ? structuredClone(c.value) : v);
    case 'union':
      for (const option of c.options) {
        const r = run(option, v);
        if (r !== FAIL) return r;
      }
      return FAIL;
    case 'pipe': {
      const r = run(c.in, v);
      return r === FAIL ? FAIL : run(c.out, r);
    }
    case 'custom':
      return c.fn(v) ? v : FAIL;
  }
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: Error };

/** What the generated modules put where a zod schema was: the two calls the client makes. */
export interface Checker<T = unknown> {
  safeParse(value: unknown): SafeParseResult<T>;
  parse(value: unknown): T;
}

export function checker<T = unknown>(check: Check): Checker<T> {
  const safeParse = (value: unknown): SafeParseResult<T> => {
    const r = run(check, value);
    return r === FAIL ? { success: false, error: new Error('The response does not match the contract') } : { success: true, data: r as T };
  };
  return {
    safeParse,
    parse(value) {
      const r = safeParse(value);
      if (!r.success) throw r.error;
      return r.data;
    },
  };
}

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Generated validators for the client (docs/reference.md#client-contract). The contract in
 * src/shared/api is written with zod and parsed by the server; zod costs the browser about 26 kB
 * gzip (zod/mini still about 9 kB with the checks the contract uses). In the production client
 * build this plugin replaces each contract module with one generated from the same schemas: each
 * exported schema, and each endpoint's response schema, becomes a description that
 * src/client/api/contract-check.ts walks (about 1 kB). Plain data (lists of kinds, limits) is
 * copied; functions are left out unless re-exported from a module without schemas, so a client
 * import of one fails the build instead of pulling zod back in.
 */

/** The modules the client build replaces: the API contract and the error shape. */
export const CONTRACT_MODULE = /\/src\/shared\/(api\/[^/]+|errors)\.ts$/;

interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string; checks?: Array<{ _zod: { def: Record<string, unknown> } }> } };
}

const isSchema = (value: unknown): value is ZodLike => typeof value === 'object' && value !== null && '_zod' in value;

/** Turns schemas into the checker's descriptions as JavaScript source, sharing repeated ones. */
export class CheckWriter {
  private readonly names = new Map<ZodLike, string>();
  readonly declarations: string[] = [];

  constructor(private readonly where: string) {}

  /** An expression for the schema's description; schemas met before are referred to by name. */
  check(schema: ZodLike): string {
    const known = this.names.get(schema);
    if (known) return known;
    const source = this.describe(schema);
    const name = `c${this.names.size}`;
    this.names.set(schema, name);
    this.declarations.push(`const ${name} = ${source};`);
    return name;
  }

  /** Like check(), or null (and nothing written) when the schema needs zod (a request body's trimming, say). */
  tryCheck(schema: ZodLike): string | null {
    const names = new Map(this.names);
    const count = this.declarations.length;
    try {
      return this.check(schema);
    } catch {
      this.names.clear();
      for (const [k, v] of names) this.names.set(k, v);
      this.declarations.length = count;
      return null;
    }
  }

  private fail(type: string, what: string): never {
    throw new Error(`${this.where}: a ${type} schema (${what}) cannot be checked in the browser without zod; keep responses plain JSON`);
  }

  private describe(schema: ZodLike): string {
    const def = schema._zod.def;
    const checks = (def.checks ?? []).map((c) => c._zod.def);
    const sub = (s: unknown) => this.check(s as ZodLike);
    switch (def.type) {
      case 'string': {
        const parts: string[] = [`t: 'string'`];
        const patterns: RegExp[] = [];
        // A format (iso.datetime, ipv4, ...) is a string schema that carries its own pattern.
        if (def.format !== undefined) {
          if (!(def.pattern instanceof RegExp)) this.fail('string', `format ${String(def.format)} without a pattern`);
          patterns.push(def.pattern);
        }
        for (const c of checks) {
          if (c.check === 'min_length') parts.push(`min: ${Number(c.minimum)}`);
          else if (c.check === 'max_length') parts.push(`max: ${Number(c.maximum)}`);
          else if (c.check === 'string_format' && c.pattern instanceof RegExp) patterns.push(c.pattern);
          else this.fail('string', `check ${String(c.check)}`);
        }
        if (patterns.length) parts.push(`re: [${patterns.map(String).join(', ')}]`);
        return `{ ${parts.join(', ')} }`;
      }
      case 'number': {
        const parts: string[] = [`t: 'number'`];
        if (def.format !== undefined) checks.unshift({ check: 'number_format', format: def.format });
        for (const c of checks) {
          if (c.check === 'number_format' && c.format === 'safeint') parts.push('int: true');
          else if (c.check === 'greater_than') parts.push(`gt: [${Number(c.value)}, ${Boolean(c.inclusive)}]`);
          else if (c.check === 'less_than') parts.push(`lt: [${Number(c.value)}, ${Boolean(c.inclusive)}]`);
          else this.fail('number', `check ${String(c.check)} ${String(c.format ?? '')}`);
        }
        return `{ ${parts.join(', ')} }`;
      }
      case 'boolean':
        return `{ t: 'boolean' }`;
      case 'any':
      case 'unknown':
        return `{ t: 'any' }`;
      case 'null':
        return `{ t: 'values', values: [null] }`;
      case 'enum':
        return `{ t: 'values', values: ${JSON.stringify(Object.values(def.entries as Record<string, unknown>))} }`;
      case 'literal':
        return `{ t: 'values', values: ${JSON.stringify(def.values)} }`;
      case 'object': {
        if (checks.length) this.fail('object', 'refinement');
        const shape = Object.entries(def.shape as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${sub(v)}`);
        const catchall = def.catchall as ZodLike | undefined;
        const extra = !catchall
          ? 'strip'
          : catchall._zod.def.type === 'never'
            ? 'strict'
            : catchall._zod.def.type === 'unknown'
              ? 'keep'
              : null;
        if (!extra) this.fail('object', 'catchall');
        return `{ t: 'object', shape: { ${shape.join(', ')} }, extra: '${extra}' }`;
      }
      case 'array': {
        const parts = [`t: 'array'`, `element: ${sub(def.element)}`];
        for (const c of checks) {
          if (c.check === 'min_length') parts.push(`min: ${Number(c.minimum)}`);
          else if (c.check === 'max_length') parts.push(`max: ${Number(c.maximum)}`);
          else this.fail('array', `check ${String(c.check)}`);
        }
        return `{ ${parts.join(', ')} }`;
      }
      case 'optional':
      case 'nullable':
        return `{ t: '${def.type}', inner: ${sub(def.innerType)} }`;
      case 'default':
      case 'prefault':
        return `{ t: '${def.type}', inner: ${sub(def.innerType)}, value: ${JSON.stringify(def.defaultValue)} }`;
      case 'readonly':
        return sub(def.innerType);
      case 'union':
        return `{ t: 'union', options: [${(def.options as unknown[]).map(sub).join(', ')}] }`;
      case 'pipe':
        return `{ t: 'pipe', in: ${sub(def.in)}, out: ${sub(def.out)} }`;
      case 'custom': {
        // A custom check travels as its own source: it must use nothing but its argument
        // (src/shared/client-contract-checks.test.ts runs every generated check against zod's).
        const fn = def.fn as (v: unknown) => unknown;
        return `{ t: 'custom', fn: ${fn.toString()} }`;
      }
      default:
        return this.fail(def.type, 'type');
    }
  }
}

function isEndpoint(value: unknown): value is Record<string, unknown> & { response: unknown } {
  return typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'response' in value;
}

/** `export { a, b as c } from './x.ts'` and `export * from './x.ts'` statements, kept as they are. */
function reExports(source: string): { statements: string[]; names: Set<string>; stars: string[] } {
  const statements: string[] = [];
  const names = new Set<string>();
  const stars: string[] = [];
  for (const m of source.matchAll(/^export\s+\{([^}]*)\}\s+from\s+('[^']+');/gm)) {
    const specifiers = m[1]!
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('type '));
    if (!specifiers.length) continue;
    for (const s of specifiers) names.add(s.split(/\s+as\s+/).pop()!);
    statements.push(`export { ${specifiers.join(', ')} } from ${m[2]};`);
  }
  for (const m of source.matchAll(/^export\s+\*\s+from\s+'([^']+)';/gm)) {
    stars.push(m[1]!);
    statements.push(`export * from '${m[1]}';`);
  }
  return { statements, names, stars };
}

/** The generated module for one contract file, given the file's evaluated exports. */
export function generateModule(
  file: string,
  source: string,
  exports: Record<string, unknown>,
  skip: ReadonlySet<string>,
  checkerModule: string,
): string {
  const writer = new CheckWriter(file);
  const { statements, names } = reExports(source);
  const lines: string[] = [];
  for (const [name, value] of Object.entries(exports)) {
    if (names.has(name) || skip.has(name)) continue;
    if (isSchema(value)) {
      // Request schemas may trim or refine: the client does not parse with them, so they are left out.
      const check = writer.tryCheck(value);
      lines.push(check ? `export const ${name} = checker(${check});` : `// ${name}: needs zod, not available in the browser build.`);
    } else if (isEndpoint(value)) {
      // What the client reads of an endpoint: where to send it and what comes back.
      const plain = Object.entries(value).filter(([k]) => k === 'method' || k === 'path' || k === 'responseType');
      const fields = plain.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
      lines.push(`export const ${name} = { ${fields.join(', ')}, response: checker(${writer.check(value.response as ZodLike)}) };`);
    } else if (typeof value === 'function') {
      lines.push(`// ${name}: a function, not available in the browser build (re-export it from a module without schemas).`);
    } else {
      lines.push(`export const ${name} = ${JSON.stringify(value)};`);
    }
  }
  return [`import { checker } from ${JSON.stringify(checkerModule)};`, ...statements, ...writer.declarations, ...lines, ''].join('\n');
}

/** Evaluates a contract file in Node (through tsx) and generates its browser module. */
export async function generateFor(file: string, checkerModule: string): Promise<string> {
  const { tsImport } = await import('tsx/esm/api');
  const load = (path: string) => tsImport(pathToFileURL(path).href, import.meta.url) as Promise<Record<string, unknown>>;
  const source = readFileSync(file, 'utf8');
  const exports = await load(file);
  // Names a star re-export brings come from that module (generated on its own).
  const skip = new Set<string>();
  for (const star of reExports(source).stars) for (const name of Object.keys(await load(resolve(dirname(file), star)))) skip.add(name);
  return generateModule(file, source, exports, skip, checkerModule);
}

/** The Vite plugin: production client builds only (tests and the dev server use zod itself). */
export function contractValidators(): Plugin {
  const checkerModule = fileURLToPath(new URL('../src/client/api/contract-check.ts', import.meta.url));
  return {
    name: 'contract-validators',
    apply: 'build',
    enforce: 'pre',
    async load(id) {
      const file = id.split('?')[0]!;
      if (!CONTRACT_MODULE.test(file) || /\.test\.ts$/.test(file)) return null;
      return { code: await generateFor(file, checkerModule), moduleSideEffects: false };
    },
  };
}

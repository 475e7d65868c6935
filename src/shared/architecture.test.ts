import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layers of src/ (docs/architecture.md#layers): client and server share only the
// contract; the contract depends on nothing but zod (or zod/mini), on @simplewebauthn's
// JSON types (type-only, so nothing of the library reaches either bundle), and on
// @zxcvbn-ts for the password rules both sides apply (loaded on first use).
const src = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

interface Import {
  spec: string;
  /** `import type …`: erased when compiled. */
  typeOnly: boolean;
}

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)(\s+type\s)?[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => ({
    spec: (m[2] ?? m[3])!,
    typeOnly: m[1] !== undefined,
  }));
}

function layerOf(path: string): string {
  return relative(src, path).split(/[\\/]/)[0]!;
}

/*
 * The client's own layers, lowest first. A file may import its own layer or a
 * lower one, never a higher one; a method kind may not import another kind.
 * Tests are exempt: they assemble pieces of several layers.
 */
const clientDir = join(src, 'client');
const clientLayers = ['base', 'method', 'page', 'top'] as const;
type ClientLayer = (typeof clientLayers)[number];

function clientLayerOf(path: string): { layer: ClientLayer; kind?: string } {
  const [first, second] = relative(clientDir, path).split(/[\\/]/);
  // components, hooks, api and i18n: the building blocks every kind and page uses.
  if (first === 'components' || first === 'hooks' || first === 'api' || first === 'i18n') return { layer: 'base' };
  if (first === 'methods') return { layer: 'method', kind: second };
  if (first === 'pages') return { layer: 'page' };
  // main.tsx, routes.tsx, method-kinds.ts: they assemble the app.
  return { layer: 'top' };
}

function clientImports(): { file: string; spec: string; target: string }[] {
  return files(clientDir)
    .filter((file) => !/\.test\.tsx?$/.test(file))
    .flatMap((file) =>
      imports(file)
        .filter(({ spec }) => spec.startsWith('.'))
        .map(({ spec }) => ({ file, spec, target: resolve(dirname(file), spec) }))
        .filter(({ target }) => target.startsWith(clientDir + sep)),
    );
}

describe('client layers', () => {
  it('components, hooks, api and i18n ← methods/<kind> ← pages ← main, routes, method-kinds: never upwards', () => {
    const offending = clientImports()
      .filter(({ file, target }) => {
        const from = clientLayerOf(file);
        const to = clientLayerOf(target);
        const rank = (l: ClientLayer) => clientLayers.indexOf(l);
        if (rank(to.layer) > rank(from.layer)) return true;
        return from.layer === 'method' && to.layer === 'method' && from.kind !== to.kind;
      })
      .map(({ file, spec }) => `${relative(src, file)} → ${spec}`);
    expect(offending).toEqual([]);
  });

  it('names the kinds in method-kinds.ts only; everything else reaches them through the context', () => {
    const list = join(clientDir, 'method-kinds.ts');
    const offending = clientImports()
      .filter(({ file, target }) => {
        const to = clientLayerOf(target);
        return to.layer === 'method' && file !== list && clientLayerOf(file).kind !== to.kind;
      })
      .map(({ file, spec }) => `${relative(src, file)} → ${spec}`);
    expect(offending).toEqual([]);
  });

  it('keeps every file of methods/ in the folder of its kind', () => {
    const loose = files(join(clientDir, 'methods')).filter((f) => dirname(f) === join(clientDir, 'methods'));
    expect(loose.map((f) => relative(src, f))).toEqual([]);
  });
});

describe('layers', () => {
  const rules: Record<string, (spec: string, target: string | null, typeOnly: boolean) => boolean> = {
    shared: (spec, target, typeOnly) =>
      target
        ? layerOf(target) === 'shared'
        : spec === 'zod' || spec === 'zod/mini' || spec.startsWith('@zxcvbn-ts/') || (typeOnly && spec === '@simplewebauthn/browser'),
    client: (_spec, target) => !target || !target.startsWith(src) || ['client', 'shared'].includes(layerOf(target)),
    server: (_spec, target) => !target || !target.startsWith(src) || ['server', 'shared'].includes(layerOf(target)),
  };
  for (const layer of Object.keys(rules)) {
    it(`${layer} imports only what it may`, () => {
      const offending: string[] = [];
      for (const file of files(join(src, layer))) {
        if (/\.test\.tsx?$/.test(file) && layer === 'shared') continue;
        for (const { spec, typeOnly } of imports(file)) {
          const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
          if (!rules[layer]!(spec, target, typeOnly)) offending.push(`${relative(src, file)} → ${spec}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }

  it('has no fetch outside the API client', () => {
    const offending = files(join(src, 'client')).filter(
      (f) => !f.endsWith(join('api', 'client.ts')) && /\bfetch\(/.test(readFileSync(f, 'utf8')),
    );
    expect(offending.map((f) => relative(src, f))).toEqual([]);
  });
});

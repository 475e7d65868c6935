import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layers of src/ (docs/reference.md): client and server share only the
// contract; the contract depends on nothing but zod, and on @simplewebauthn's
// JSON types (type-only, so nothing of the library reaches either bundle).
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

describe('layers', () => {
  const rules: Record<string, (spec: string, target: string | null, typeOnly: boolean) => boolean> = {
    shared: (spec, target, typeOnly) =>
      target ? layerOf(target) === 'shared' : spec === 'zod' || (typeOnly && spec === '@simplewebauthn/browser'),
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

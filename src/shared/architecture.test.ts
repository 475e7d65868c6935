import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layers of src/ (docs/architecture.md#layers): client and server share only the contract;
// the contract depends on nothing but zod.
const src = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

function layerOf(path: string): string {
  return relative(src, path).split(/[\\/]/)[0]!;
}

describe('layers', () => {
  const rules: Record<string, (spec: string, target: string | null) => boolean> = {
    shared: (spec, target) => (target ? layerOf(target) === 'shared' : spec === 'zod'),
    client: (_spec, target) => !target || !target.startsWith(src) || ['client', 'shared'].includes(layerOf(target)),
    server: (_spec, target) => !target || !target.startsWith(src) || ['server', 'shared'].includes(layerOf(target)),
  };
  for (const layer of Object.keys(rules)) {
    it(`${layer} imports only what it may`, () => {
      const offending: string[] = [];
      for (const file of files(join(src, layer))) {
        if (/\.test\.tsx?$/.test(file) && layer === 'shared') continue;
        for (const spec of imports(file)) {
          const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
          if (!rules[layer]!(spec, target)) offending.push(`${relative(src, file)} → ${spec}`);
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

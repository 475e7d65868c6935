import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The server's layers (docs/architecture.md): shared ← core ← methods/<kind> ← app.
// A kind uses the core and its own folder, never another kind; the core never names a kind.
const server = import.meta.dirname;
const src = join(server, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

interface Import {
  target: string;
  typeOnly: boolean;
}

function relativeImports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map(
    (m) => ({
      target: resolve(dirname(file), (m[3] ?? m[4])!),
      typeOnly: Boolean(m[2]),
    }),
  );
}

/** `core`, `methods/<kind>`, or `app` for everything else under server/ (app.ts, main.ts, admin, dev, demo, test-support). */
function layerOf(path: string): string {
  const parts = relative(server, path).split(sep);
  if (parts[0] === 'core') return 'core';
  if (parts[0] === 'methods' && parts.length > 2) return `methods/${parts[1]}`;
  return 'app';
}

const inside = (path: string, dir: string) => path.startsWith(dir + sep);

describe('server layers', () => {
  const all = files(server).filter((f) => !/\.test\.ts$/.test(f));

  it('the core imports only the core and the contract', () => {
    const offending = all
      .filter((f) => layerOf(f) === 'core')
      .flatMap((f) => relativeImports(f).map((i) => [f, i.target] as const))
      .filter(([, target]) => inside(target, server) && layerOf(target) !== 'core')
      .map(([f, target]) => `${relative(src, f)} → ${relative(src, target)}`);
    expect(offending).toEqual([]);
  });

  it('a method kind imports only the core, the contract and its own folder', () => {
    const offending = all
      .filter((f) => layerOf(f).startsWith('methods/'))
      .flatMap((f) => relativeImports(f).map((i) => [f, i.target] as const))
      .filter(([f, target]) => inside(target, server) && !['core', layerOf(f)].includes(layerOf(target)))
      .map(([f, target]) => `${relative(src, f)} → ${relative(src, target)}`);
    expect(offending).toEqual([]);
  });

  it('inside the core, sessions ← security-info ← auth ← http ← routes: no runtime import runs back up', () => {
    const core = join(server, 'core');
    const order = ['sessions', 'security-info', 'auth', 'http', 'routes'];
    const rank = (path: string) => order.indexOf(relative(core, path).split(sep)[0]!);
    const offending = all
      .filter((f) => inside(f, core) && rank(f) >= 0)
      .flatMap((f) => relativeImports(f).map((i) => [f, i] as const))
      .filter(([f, i]) => !i.typeOnly && inside(i.target, core) && rank(i.target) > rank(f))
      .map(([f, i]) => `${relative(src, f)} → ${relative(src, i.target)}`);
    expect(offending).toEqual([]);
  });

  it('no file outside a kind’s folder names the kind, except the one list of kinds and the app layer', () => {
    const kindFolders = readdirSync(join(server, 'methods'));
    const offending = all
      .filter((f) => layerOf(f) === 'core')
      .filter((f) => kindFolders.some((k) => readFileSync(f, 'utf8').includes(`methods/${k}/`)))
      .map((f) => relative(src, f));
    expect(offending).toEqual([]);
  });
});

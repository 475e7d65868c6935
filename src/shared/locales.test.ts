import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from './errors.ts';
import { registrationReasons } from './api/session.ts';
import { methodKinds } from './policy.ts';

const root = join(import.meta.dirname, '..', '..');
const localesDir = join(root, 'locales');
const languages = readdirSync(localesDir).filter((d) => statSync(join(localesDir, d)).isDirectory());
const PLURAL = /_(zero|one|two|few|many|other)$/;
const pluralForms: Record<string, string[]> = { en: ['one', 'other'], pl: ['one', 'few', 'many', 'other'] };

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : flatten(v, `${prefix}${k}.`)));
}
function load(lng: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const file of readdirSync(join(localesDir, lng)).filter((f) => f.endsWith('.json'))) {
    out[file.replace(/\.json$/, '')] = flatten(JSON.parse(readFileSync(join(localesDir, lng, file), 'utf8')) as Tree);
  }
  return out;
}
const catalogs = Object.fromEntries(languages.map((l) => [l, load(l)]));
const base = (key: string) => key.replace(PLURAL, '');

describe('locale files', () => {
  it('exist for English and Polish', () => {
    expect(languages.sort()).toEqual(['en', 'pl']);
  });

  it('have the same namespaces and keys in every language', () => {
    const en = catalogs.en!;
    for (const lng of languages) {
      const other = catalogs[lng]!;
      expect(Object.keys(other).sort(), lng).toEqual(Object.keys(en).sort());
      for (const ns of Object.keys(en)) {
        expect([...new Set(other[ns]!.map(base))].sort(), `${lng}/${ns}`).toEqual([...new Set(en[ns]!.map(base))].sort());
      }
    }
  });

  it('give every plural the forms its language needs (Polish: one, few, many, other)', () => {
    for (const lng of languages) {
      for (const [ns, keys] of Object.entries(catalogs[lng]!)) {
        const plurals = new Set(keys.filter((k) => PLURAL.test(k)).map(base));
        for (const p of plurals) {
          for (const form of pluralForms[lng]!) expect(keys, `${lng}/${ns}:${p}_${form}`).toContain(`${p}_${form}`);
        }
      }
    }
  });

  it('have no empty strings', () => {
    for (const lng of languages) {
      for (const file of readdirSync(join(localesDir, lng))) {
        const text = readFileSync(join(localesDir, lng, file), 'utf8');
        expect(text, `${lng}/${file}`).not.toMatch(/:\s*""/);
      }
    }
  });

  it('translate every error code, registration reason and method kind the contract can send', () => {
    for (const lng of languages) {
      const c = catalogs[lng]!;
      for (const code of [...errorCodes, 'network_error']) expect(c.errors, `${lng} errors.${code}`).toContain(code);
      for (const reason of registrationReasons) expect(c['sign-in'], lng).toContain(`registration.reason.${reason}`);
      for (const kind of methodKinds) {
        expect(c.methods, lng).toContain(`kind.${kind}`);
        expect(c.notifications, lng).toContain(`methodKind.${kind}`);
        expect(c['sign-in'], lng).toContain(`secondFactor.option.${kind}`);
      }
    }
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('keys used in code', () => {
  const en = catalogs.en!;
  const all = Object.entries(en).flatMap(([ns, keys]) => keys.map((k) => ({ ns, key: base(k) })));
  const calls = sourceFiles(join(root, 'src')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/\bt\(\s*(['`])([^'`]+)\1/g)].map((m) => ({ file: relative(root, file), key: m[2]!, template: m[1] === '`' }));
  });

  it('finds the calls it checks', () => {
    expect(calls.length).toBeGreaterThan(50);
  });

  it.each(calls.map((c) => [`${c.file}: ${c.key}`, c] as const))('%s exists in locales/en', (_name, call) => {
    const [maybeNs, rest] = call.key.includes(':') ? call.key.split(':', 2) : [undefined, call.key];
    const key = rest!;
    const candidates = all.filter((k) => maybeNs === undefined || k.ns === maybeNs);
    if (call.template) {
      const prefix = key.split('${')[0]!;
      expect(
        candidates.some((k) => k.key.startsWith(prefix)),
        call.key,
      ).toBe(true);
    } else {
      expect(
        candidates.some((k) => k.key === key),
        call.key,
      ).toBe(true);
    }
  });
});

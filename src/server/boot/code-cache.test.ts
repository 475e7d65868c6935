import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFileOf, requireWithCodeCache, writeCodeCache } from './code-cache.ts';

interface Sample {
  greet(name: string): string;
  dirname: string;
  joined: string;
}

const SAMPLE = `
const { join } = require('node:path');
exports.greet = (name) => 'cze\\u015b\\u0107 ' + name;
exports.dirname = __dirname;
exports.joined = join('a', 'b');
`;

describe('requireWithCodeCache', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    file = join(dir, 'sample.js');
    writeFileSync(file, SAMPLE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a CommonJS file as require does, with its own require, module and __dirname', () => {
    const loaded = requireWithCodeCache<Sample>(file);
    expect(loaded.exports.greet('Ada')).toBe('cześć Ada');
    expect(loaded.exports.dirname).toBe(dir);
    expect(loaded.exports.joined).toBe(join('a', 'b'));
    expect(loaded.cacheUsed).toBe(false);
  });

  it('starts from the cache written after a run', () => {
    const first = requireWithCodeCache<Sample>(file);
    first.exports.greet('Ada');
    expect(writeCodeCache(file, first.script)).toBeGreaterThan(0);
    const second = requireWithCodeCache<Sample>(file);
    expect(second.cacheUsed).toBe(true);
    expect(second.exports.greet('Bob')).toBe('cześć Bob');
  });

  it('compiles as usual when the file changed after its cache was written', () => {
    writeCodeCache(file, requireWithCodeCache<Sample>(file).script);
    writeFileSync(file, `${SAMPLE}\nexports.extra = 1;\n`);
    const loaded = requireWithCodeCache<Sample & { extra: number }>(file);
    expect(loaded.cacheUsed).toBe(false);
    expect(loaded.exports.extra).toBe(1);
  });

  it('compiles as usual when the file changed to another of the same length (V8 would take the cache)', () => {
    writeCodeCache(file, requireWithCodeCache<Sample>(file).script);
    writeFileSync(file, SAMPLE.replace("'cze", "'CZE"));
    const loaded = requireWithCodeCache<Sample>(file);
    expect(loaded.cacheUsed).toBe(false);
    expect(loaded.exports.greet('Ada')).toBe('CZEść Ada');
  });

  it('compiles as usual when the cache is not one V8 wrote', () => {
    writeFileSync(cacheFileOf(file), 'not a code cache');
    const loaded = requireWithCodeCache<Sample>(file);
    expect(loaded.cacheUsed).toBe(false);
    expect(loaded.exports.greet('Ada')).toBe('cześć Ada');
  });
});

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs a CommonJS file the way Node's `require` would, but compiled with V8's
 * code cache from `<file>.cache` when there is one. Node 20 has no compile
 * cache of its own (it came in Node 22), and compiling the server bundle was a
 * fifth of the start (docs/reference.md#server-start).
 *
 * V8 rejects a cache made by another version or with other flags, but checks
 * the source only by its length; so the cache starts with the SHA-256 of the
 * source it was made from, and any other source is compiled as usual (slower,
 * never wrong).
 *
 * The file must not call `import()`: a function compiled from a cache has lost
 * the callback node needs for it (the build turns `import()` into `require`).
 */
export interface CachedModule<Exports> {
  exports: Exports;
  script: Script;
  /** Whether the cache was there and V8 took it. */
  cacheUsed: boolean;
}

export const cacheFileOf = (file: string) => `${file}.cache`;

const HASH_BYTES = 32;
const sourceHash = (source: string) => createHash('sha256').update(source).digest();

/** The V8 part of the cache when it was made from this source. */
function cachedDataFor(file: string, source: string): Buffer | undefined {
  let cache: Buffer;
  try {
    cache = readFileSync(cacheFileOf(file));
  } catch {
    return undefined;
  }
  const fresh = cache.length > HASH_BYTES && cache.subarray(0, HASH_BYTES).equals(sourceHash(source));
  return fresh ? cache.subarray(HASH_BYTES) : undefined;
}

export function requireWithCodeCache<Exports>(file: string): CachedModule<Exports> {
  const source = readFileSync(file, 'utf8');
  const cachedData = cachedDataFor(file, source);
  const script = new Script(Module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as Exports };
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cacheUsed: cachedData !== undefined && script.cachedDataRejected === false };
}

/**
 * Writes the cache of a module already run: V8 then includes every function
 * compiled so far, not only the top level, so a cache written after a warm-up
 * saves the compiling of all a start needs.
 */
export function writeCodeCache(file: string, script: Script): number {
  const data = Buffer.concat([sourceHash(readFileSync(file, 'utf8')), script.createCachedData()]);
  writeFileSync(cacheFileOf(file), data);
  return data.length;
}

/**
 * Writes dist/server/server.js.cache, the V8 code cache the built server
 * starts from (src/server/boot/code-cache.ts, docs/reference.md#server-start).
 * The bundle is loaded and warmed up first (a start on a throwaway database),
 * so that the cache holds the functions a start compiles, not only the top level.
 */
import { resolve } from 'node:path';
import { requireWithCodeCache, writeCodeCache } from '../src/server/boot/code-cache.ts';
import type * as Server from '../src/server/server.ts';

const file = resolve(process.argv[2] ?? 'dist/server', 'server.js');
const { script, exports: server } = requireWithCodeCache<typeof Server>(file);
await server.warmUp();
console.log(`${file}: code cache of ${Math.round(writeCodeCache(file, script) / 1024)} KiB`);

import { join } from 'node:path';
import { requireWithCodeCache } from './code-cache.ts';
import type * as Server from '../server.ts';

// The built server's entry, `dist/server/main.js`: the server bundle beside it, compiled from the
// code cache `npm run build` wrote next to it (docs/reference.md#server-start). The build emits
// CommonJS, so `__dirname` is this file's folder. Node maps stack traces only for code its own
// loader compiled: under --enable-source-maps the bundle is required as usual, and the start pays
// for the compile.
const file = join(__dirname, 'server.js');
const server = process.sourceMapsEnabled
  ? { exports: require(file) as typeof Server, cacheUsed: false }
  : requireWithCodeCache<typeof Server>(file);
server.exports.runServer({ codeCache: server.cacheUsed }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { join } from 'node:path';
import { requireWithCodeCache } from './code-cache.ts';
import type * as Server from '../server.ts';

// The built server's entry, `dist/server/main.js`: the server bundle beside it, compiled from the
// code cache `npm run build` wrote next to it (docs/reference.md#server-start). The build emits
// CommonJS, so `__dirname` is this file's folder.
const server = requireWithCodeCache<typeof Server>(join(__dirname, 'server.js'));
server.exports.runServer({ codeCache: server.cacheUsed }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

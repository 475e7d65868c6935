/**
 * Measures the bare-server ceiling on its own: one user, a 3-second load.
 * Run with `npx tsx bench/bare-ceiling.ts`. It first checks that the server
 * answers 200 for the right app password and 401 for a wrong one, so the
 * figures cannot come from a server that rejects (or accepts) everything.
 */
import { randomBytes } from 'node:crypto';
import { formatAppPassword, generateAppPassword, hashAppPassword } from '../src/server/methods/app-passwords/app-password-secret.ts';
import { startBareServer } from './lib/bare-server.ts';
import { runLoad } from './lib/load.ts';
import { formatLoadResult } from './lib/report.ts';

function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

const key = randomBytes(32);
const username = 'alice';
const appPassword = generateAppPassword();
const users = new Map([[username, { hash: hashAppPassword(key, appPassword), displayName: 'Alice Example' }]]);

const server = await startBareServer({ users, key });
try {
  // Legacy clients send whatever the user pasted, so use the grouped form.
  const authorization = basicAuthorization(username, formatAppPassword(appPassword));

  const good = await fetch(server.url, { headers: { authorization } });
  const bad = await fetch(server.url, { headers: { authorization: basicAuthorization(username, generateAppPassword()) } });
  console.log(`sanity: right password -> ${good.status} ${await good.text()}; wrong password -> ${bad.status}`);
  if (good.status !== 200 || bad.status !== 401) {
    throw new Error('bare server does not behave like the endpoint; refusing to benchmark it');
  }

  const result = await runLoad({ url: server.url, headers: { authorization }, durationSeconds: 3 });
  console.log(formatLoadResult('bare ceiling', result));
  if (result.non2xx > 0 || result.errors > 0) {
    process.exitCode = 1;
    console.error('unexpected non-2xx responses or errors during the run');
  }
} finally {
  await server.close();
}

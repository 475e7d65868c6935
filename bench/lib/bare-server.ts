/**
 * The "ceiling" for the legacy whoami endpoint: plain node:http doing exactly
 * the per-request work the real route must do (parse Basic auth, normalize,
 * one HMAC verify, small JSON answer) and nothing else. Whatever the real app
 * loses against this is framework, middleware and storage overhead.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashAppPassword, normalizeAppPassword, verifyAppPassword } from '../../src/server/methods/app-passwords/app-password-secret.ts';

export const WHOAMI_PATH = '/legacy/v1/whoami';

export interface BareUser {
  /** Stored app-password hash, as made by hashAppPassword. */
  hash: string;
  displayName: string;
}

export interface BareServerOptions {
  users: Map<string, BareUser>;
  key: Uint8Array;
}

export interface BareServer {
  /** Full URL of the whoami endpoint, ready to hand to runLoad. */
  url: string;
  close(): Promise<void>;
}

interface BasicCredentials {
  username: string;
  password: string;
}

/** RFC 7617: "Basic" then base64 of "user-id:password"; the user-id has no colon. */
function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header);
  const encoded = match?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    // Identity answers must never be cached by anything in between.
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(payload);
}

function sendUnauthorized(res: ServerResponse): void {
  sendJson(
    res,
    401,
    { error: 'unauthorized' },
    {
      'www-authenticate': 'Basic realm="legacy", charset="UTF-8"',
    },
  );
}

function createWhoamiHandler({ users, key }: BareServerOptions) {
  // Unknown user names still cost one HMAC verify against this throwaway hash,
  // so response time does not reveal which user names exist.
  const decoyHash = hashAppPassword(key, 'a'.repeat(24));

  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== WHOAMI_PATH) {
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
      return;
    }
    const credentials = parseBasicAuthorization(req.headers.authorization);
    const normalized = credentials && normalizeAppPassword(credentials.password);
    if (!credentials || normalized === undefined) {
      sendUnauthorized(res);
      return;
    }
    const user = users.get(credentials.username);
    const verified = verifyAppPassword(key, normalized, user?.hash ?? decoyHash);
    if (!user || !verified) {
      sendUnauthorized(res);
      return;
    }
    sendJson(res, 200, { username: credentials.username, displayName: user.displayName });
  };
}

export async function startBareServer(opts: BareServerOptions): Promise<BareServer> {
  const server = createServer(createWhoamiHandler(opts));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only and an ephemeral port: never reachable from outside,
    // never in conflict with another run.
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${WHOAMI_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from the load generator would hold close() open.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import { createHmac } from 'node:crypto';
import type { ServerContext } from '../context.ts';
import { constantTimeEqual, randomToken } from '../crypto/random.ts';

/**
 * The "this wasn't me" link in every security-info e-mail
 * (docs/reference.md#this-wasnt-me): a token signed with its own derived key,
 * naming the user, a random nonce and when it expires. It needs no row to be
 * issued (it is made while a notice is queued); a row of its nonce is written
 * when it is used, which makes it single-use.
 */

export const REPORT_LINK_LIFETIME_MS = 7 * 24 * 60 * 60_000;
export const REPORT_LINK_PATH = '/this-wasnt-me';

interface Payload {
  /** The user's id. */
  u: string;
  /** 128 random bits: the link's identity for single use. */
  n: string;
  /** Expiry, ms since the epoch. */
  e: number;
}

function sign(ctx: Pick<ServerContext, 'keys'>, body: string): string {
  return createHmac('sha256', ctx.keys.thisWasntMeSigning).update(body).digest('base64url');
}

export function createReportToken(ctx: Pick<ServerContext, 'keys' | 'clock'>, userId: string): string {
  const payload: Payload = { u: userId, n: randomToken(16), e: ctx.clock.now() + REPORT_LINK_LIFETIME_MS };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${sign(ctx, body)}`;
}

/** The full link for an e-mail. The token rides in the fragment, so it reaches neither server logs nor a Referer header. */
export function reportLinkFor(ctx: Pick<ServerContext, 'keys' | 'clock' | 'config'>, userId: string): string {
  return `${ctx.config.publicOrigin}${REPORT_LINK_PATH}#${createReportToken(ctx, userId)}`;
}

/** The token's contents when its signature holds and it has not expired; null otherwise (no reason given, on purpose). */
export function readReportToken(
  ctx: Pick<ServerContext, 'keys' | 'clock'>,
  token: string,
): { userId: string; nonce: string; expiresAt: number } | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  if (!constantTimeEqual(signature, sign(ctx, body))) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { u, n, e } = payload as Partial<Payload>;
  if (typeof u !== 'string' || typeof n !== 'string' || typeof e !== 'number') return null;
  if (e <= ctx.clock.now()) return null;
  return { userId: u, nonce: n, expiresAt: e };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { MAIL_AUTH_SECRET_HEADER } from '../../../shared/api/app-passwords.ts';
import { ApiError } from '../../core/api-error.ts';
import type { ServerContext } from '../../core/context.ts';
import { allowedCallers } from '../../core/mail-settings.ts';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) is checked as 127.0.0.1. */
function plainAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped?.[1] ?? ip;
}

/**
 * Who may ask the mail sign-in endpoints: only a configured mail server.
 * Off (404) without `MAIL_AUTH_SECRET`; otherwise the caller must come from
 * `MAIL_AUTH_ALLOWED_IPS` and send the secret, which is compared in constant
 * time (both sides hashed first, so not even its length shows).
 */
export function mailAuthCallerCheck(ctx: ServerContext): (req: FastifyRequest) => void {
  const { authSecret, allowedIps } = ctx.config.mail;
  const allowed = allowedCallers(allowedIps);
  const expected = authSecret === undefined ? undefined : digest(authSecret);
  return (req) => {
    if (!expected) throw new ApiError(404, 'not_found');
    const ip = plainAddress(req.ip);
    const family = isIP(ip);
    if (family === 0 || !allowed.check(ip, family === 6 ? 'ipv6' : 'ipv4')) {
      req.log.warn({ ip }, 'Mail sign-in endpoint called from an address not in MAIL_AUTH_ALLOWED_IPS');
      throw new ApiError(403, 'forbidden');
    }
    const given = req.headers[MAIL_AUTH_SECRET_HEADER];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      req.log.warn({ ip }, 'Mail sign-in endpoint called without the right MAIL_AUTH_SECRET');
      throw new ApiError(403, 'forbidden');
    }
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { sessionLifetimes } from '../sessions/session-store.ts';

/**
 * Behind HTTPS the cookie is `__Host-` prefixed: Secure, Path=/, no Domain,
 * so no sibling subdomain can set or shadow it. On plain http://localhost
 * (development) browsers refuse Secure cookies, so the plain name is used.
 */
export function sessionCookieName(config: Config): string {
  return config.secureCookies ? '__Host-sid' : 'sid';
}

export function readSessionCookie(req: FastifyRequest): string | undefined {
  return req.cookies[sessionCookieName(req.server.ctx.config)];
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  const { config } = reply.server.ctx;
  reply.setCookie(sessionCookieName(config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    maxAge: sessionLifetimes.absoluteSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  const { config } = reply.server.ctx;
  reply.clearCookie(sessionCookieName(config), { path: '/', secure: config.secureCookies, httpOnly: true, sameSite: 'lax' });
}

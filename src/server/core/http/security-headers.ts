import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A strict Content-Security-Policy: scripts and styles only from our own
 * origin, no inline scripts, no framing (clickjacking), no plugins. The QR
 * code is drawn as an image from a data: URL.
 */
const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply) => applySecurityHeaders(req, reply));
}

/** Sets the headers on one answer; also called directly for the router's own errors, which no hook sees. */
export function applySecurityHeaders(req: FastifyRequest, reply: FastifyReply): void {
  const secure = req.server.ctx.config.secureCookies;
  reply.header('content-security-policy', csp);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  // The app shows QR codes but never scans one, so no page needs the camera (docs/reference.md#error-responses).
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (secure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  // Every API answer may carry personal data (the legacy endpoint's too): never kept by a browser or a proxy.
  if (req.url.startsWith('/api/') || req.url.startsWith('/legacy/')) reply.header('cache-control', 'no-store');
}

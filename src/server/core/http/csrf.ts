import type { FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../crypto/random.ts';
import { ApiError } from '../api-error.ts';

export const CSRF_HEADER = 'x-csrf-token';

/**
 * Synchronizer-token CSRF defence (OWASP CSRF Cheat Sheet): every
 * state-changing request carries the session's token in a header, which a
 * cross-site form cannot set. As defence in depth, a browser-sent Origin or
 * Sec-Fetch-Site that is not our own is refused outright.
 */
export function checkCsrf(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') throw new ApiError(403, 'csrf_failed');
  const origin = req.headers.origin;
  if (origin && origin !== req.server.ctx.config.publicOrigin) throw new ApiError(403, 'csrf_failed');
  const token = req.headers[CSRF_HEADER];
  if (!req.session || typeof token !== 'string' || !constantTimeEqual(token, req.session.csrfToken)) {
    throw new ApiError(403, 'csrf_failed');
  }
}

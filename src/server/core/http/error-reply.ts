import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiErrorBody, ErrorCode } from '../../../shared/errors.ts';
import { ApiError } from '../api-error.ts';

/**
 * Every error leaves the server in the contract's shape `{ "error": { "code" } }`,
 * Fastify's own included (a malformed URL, an over-long path parameter, bad
 * JSON, a body too large, a content type no parser takes), so the client can
 * always translate it (docs/reference.md#error-responses).
 */
function fastifyErrorCode(error: { code?: string; statusCode?: number }): { status: number; code: ErrorCode } {
  const status = error.statusCode;
  if (error.code === 'FST_ERR_BAD_URL') return { status: 400, code: 'invalid_input' };
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return { status: 414, code: 'invalid_input' };
  if (status === 413) return { status: 413, code: 'payload_too_large' };
  if (status === 415) return { status: 415, code: 'unsupported_media_type' };
  if (status === 404 || status === 405) return { status, code: 'not_found' };
  // Malformed JSON, an empty JSON body, a poisoned prototype key and the like: the client's fault, said as such.
  if (status !== undefined && status >= 400 && status < 500) return { status: 400, code: 'invalid_input' };
  return { status: 500, code: 'internal_error' };
}

export function sendError(error: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) {
    if (error.data.retryAfterSeconds) reply.header('retry-after', String(error.data.retryAfterSeconds));
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return reply.status(error.status).send(error.toBody());
  }
  const { status, code } = fastifyErrorCode(typeof error === 'object' && error !== null ? error : {});
  if (status >= 500) req.log.error({ err: error }, 'Unhandled error');
  const body: ApiErrorBody = { error: { code } };
  return reply.status(status).send(body);
}

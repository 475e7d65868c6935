import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Log this route's "incoming request" and "request completed" lines at debug instead of info. */
    debugRequestLog?: boolean;
  }
}

const quiet = (request: FastifyRequest) => request.routeOptions.config.debugRequestLog === true;

/**
 * Fastify's per-request log lines, at debug for routes that ask for it (`route(..., { debugRequestLog: true })`):
 * a route polled by every legacy mail client would otherwise write two info lines per poll, a tenth of its
 * work. Errors are still logged as usual.
 */
export class RequestLogging extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply): void {
    if (quiet(request)) request.log.debug({ req: request }, 'incoming request');
    else super.incomingRequest(request, reply);
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!error && quiet(request)) reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
    else super.requestCompleted(error, request, reply);
  }
}

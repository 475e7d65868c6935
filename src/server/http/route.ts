import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { EndpointDef, EndpointParsed, EndpointResponseInput } from '../../shared/endpoint.ts';
import { ApiError } from './api-error.ts';
import { checkCsrf } from './csrf.ts';
import type { SessionRecord } from '../auth/session-store.ts';

export type RequestContext<E extends EndpointDef> = EndpointParsed<E> & {
  req: FastifyRequest;
  reply: FastifyReply;
  session: SessionRecord | null;
};

// An endpoint that declares no body accepts none: an empty object at most.
const noBody = z.strictObject({});

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string): unknown {
  if (!schema && part !== 'body') return undefined;
  const result = (schema ?? noBody).safeParse(value ?? (part === 'body' ? {} : value));
  if (!result.success) {
    throw new ApiError(400, 'invalid_input', {
      fields: result.error.issues.map((issue) => ({
        path: [part, ...issue.path.map(String)].join('.'),
        issue: issue.code,
      })),
    });
  }
  return result.data;
}

/**
 * Mounts one endpoint of the shared contract: validates params, query and
 * body with its schemas, checks CSRF on state-changing requests, and parses
 * the handler's result with the response schema so the server cannot drift
 * from what the client expects.
 */
export function route<E extends EndpointDef>(
  app: FastifyInstance,
  def: E,
  handler: (ctx: RequestContext<E>) => Promise<EndpointResponseInput<E>>,
): void {
  app.route({
    method: def.method,
    url: def.path,
    handler: async (req, reply) => {
      if (def.method !== 'GET' && !def.csrfExempt) checkCsrf(req);
      const ctx = {
        params: parsePart(def.params, req.params, 'params'),
        query: parsePart(def.query, req.query, 'query'),
        body: def.method === 'GET' ? undefined : parsePart(def.body, req.body, 'body'),
        req,
        reply,
        session: req.session,
      } as RequestContext<E>;
      const result = await handler(ctx);
      return def.response.parse(result);
    },
  });
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import './request-logging.ts';
import { z } from 'zod';
import type { ContractSchema, EndpointDef, EndpointGuard, EndpointParsed, EndpointResponseInput } from '../../../shared/endpoint.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { invalidTextIssue } from '../../../shared/text.ts';
import { ApiError } from '../api-error.ts';
import { guard, type Actor } from '../auth/guards.ts';
import type { SessionRecord } from '../sessions/session-store.ts';
import { checkCsrf } from './csrf.ts';

/** What a guarded endpoint's handler is given: the signed-in user and the policy, each read once for the request. */
type GuardedParts<E extends EndpointDef> = E extends { guard: EndpointGuard }
  ? { actor: Actor; policy: OrgPolicy }
  : { actor: null; policy: null };

export type RequestContext<E extends EndpointDef> = EndpointParsed<E> &
  GuardedParts<E> & {
    req: FastifyRequest;
    reply: FastifyReply;
    session: SessionRecord | null;
  };

// An endpoint that declares no body accepts none: an empty object at most.
const noBody = z.strictObject({});

/** Validates one part of a request with its schema; anything wrong is a 400 `invalid_input` naming the fields. */
export function validatePart<S extends ContractSchema>(schema: S, value: unknown, part: string): z.output<S> {
  const result = z.safeParse(schema, value);
  if (!result.success) {
    // Text the user typed with a character the text policy refuses gets its own code, so the user is told which rule.
    const textRefused = result.error.issues.some(
      (issue) => issue.code === 'custom' && issue.params?.errorCode === invalidTextIssue.errorCode,
    );
    throw new ApiError(400, textRefused ? 'invalid_text' : 'invalid_input', {
      fields: result.error.issues.map((issue) => ({
        path: [part, ...issue.path.map(String)].join('.'),
        issue: issue.code,
      })),
    });
  }
  return result.data;
}

function parsePart(schema: ContractSchema | undefined, value: unknown, part: string): unknown {
  if (!schema && part !== 'body') return undefined;
  return validatePart(schema ?? noBody, value ?? (part === 'body' ? {} : value), part);
}

/**
 * Mounts one endpoint of the shared contract: checks CSRF on state-changing
 * requests, validates params, query and body with its schemas, enforces the
 * guard the endpoint declares (session stage, a recent verification,
 * administrators only), and parses the handler's result with the response schema so
 * the server cannot drift from what the client expects.
 */
export function route<E extends EndpointDef>(
  app: FastifyInstance,
  def: E,
  handler: (ctx: RequestContext<E>) => Promise<EndpointResponseInput<E>>,
  options: {
    debugRequestLog?: boolean;
    /** Answers always far below the compression threshold: the route then skips the compression hooks. */
    neverCompressed?: boolean;
  } = {},
): void {
  const { ctx } = app;
  app.route({
    method: def.method,
    url: def.path,
    ...(options.debugRequestLog ? { config: { debugRequestLog: true } } : {}),
    ...(options.neverCompressed ? { compress: false } : {}),
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    handler: async (req, reply) => {
      if (def.method !== 'GET' && !def.csrfExempt) checkCsrf(req);
      const parsed = {
        params: parsePart(def.params, req.params, 'params'),
        query: parsePart(def.query, req.query, 'query'),
        body: def.method === 'GET' ? undefined : parsePart(def.body, req.body, 'body'),
      };
      const guarded = def.guard ? await guard(ctx, req.session, def.guard) : { actor: null, policy: null };
      // The casts stop at this one place: the schemas above produced exactly these parts.
      const result = await handler({ ...parsed, ...guarded, req, reply, session: req.session } as RequestContext<E>);
      return z.parse(def.response, result);
    },
  });
}

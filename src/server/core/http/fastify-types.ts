import type {} from '@fastify/cookie';
import type { ServerContext } from '../context.ts';
import type { SessionRecord } from '../sessions/session-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: ServerContext;
  }
  interface FastifyRequest {
    /** The visitor's session, loaded from the cookie before any handler runs; null when there is none. */
    session: SessionRecord | null;
  }
}

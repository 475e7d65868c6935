import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { schemaState } from '../storage/db.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * What a load balancer and a monitoring system ask of an instance. /api/health
 * (in app.ts) says the process answers; /api/ready says it should get traffic:
 * the database answers and its schema is the one this code expects (while the
 * instance stops, app.ts answers every read, this one too, with 503). Both are outside the client's contract: only
 * operators' tools call them.
 */
export function serviceRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  app.get('/api/ready', async (_req, reply) => {
    try {
      const schema = await schemaState(ctx.db);
      if (schema.state !== 'current') return reply.status(503).send({ ready: false, reason: `schema_${schema.state}` });
    } catch {
      return reply.status(503).send({ ready: false, reason: 'database_unreachable' });
    }
    return { ready: true };
  });

  // On the public port only behind a token; METRICS_PORT serves it without one, on an address of its own (main.ts).
  const token = ctx.config.metrics.token;
  if (token) {
    const expected = digest(token);
    app.get('/metrics', async (req, reply) => {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      // Both sides hashed, so the comparison takes the same time whatever the length given.
      if (!given || !timingSafeEqual(digest(given), expected)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: { code: 'unauthenticated' } });
      }
      return reply.type(ctx.metrics.contentType).send(await ctx.metrics.text());
    });
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Kysely } from 'kysely';
import { allEndpoints } from '../shared/api/index.ts';
import { health } from '../shared/api/dev.ts';
import './core/http/fastify-types.ts';
import type { Clock } from './core/clock.ts';
import { systemClock } from './core/clock.ts';
import type { Config } from './core/config.ts';
import type { ServerContext } from './core/context.ts';
import { deriveKeyRing } from './core/crypto/keys.ts';
import { SecretBox } from './core/crypto/secret-box.ts';
import { createOutboxProvider } from './core/delivery/outbox-provider.ts';
import { createHttpDeliveryProvider } from './core/delivery/http-provider.ts';
import type { DeliveryProvider } from './core/delivery/provider.ts';
import { authRoutes } from './core/routes/auth.ts';
import { loadSession } from './core/sessions/session-store.ts';
import { devRoutes } from './dev/routes.ts';
import { ApiError } from './core/api-error.ts';
import { openApiDocument } from './core/http/openapi.ts';
import { route } from './core/http/route.ts';
import { securityHeaders } from './core/http/security-headers.ts';
import { readSessionCookie } from './core/auth/session-cookie.ts';
import { appPasswordRoutes } from './methods/app-passwords/routes.ts';
import { legacyRoutes } from './methods/app-passwords/legacy-routes.ts';
import { mailAuthRoutes } from './methods/app-passwords/mail-auth-routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { verificationLogRoutes } from './admin/verification-log-routes.ts';
import { securityInfoRoutes } from './core/routes/security-info.ts';
import { temporaryAccessPassRoutes } from './core/routes/temporary-access-pass.ts';
import type { Database } from './core/storage/schema.ts';
import { MethodKinds, type MethodKindModule } from './core/security-info/method-kind.ts';
import { methodKinds } from './method-kinds.ts';

export interface AppDependencies {
  config: Config;
  db: Kysely<Database>;
  masterKey: Buffer;
  clock?: Clock;
  /** Defaults to what configuration names: the outbox, or the HTTP gateway. */
  delivery?: DeliveryProvider;
  /** Where the built client lives; not served when absent (API tests). */
  clientDir?: string;
  /** The verification method kinds to offer; all of `method-kinds.ts` by default. */
  kinds?: readonly MethodKindModule[];
}

/** 64 KiB is far more than any request of this API needs (OWASP ASVS 5.0 V4.1). */
const BODY_LIMIT = 64 * 1024;

/** Builds the whole server from its dependencies, so tests run it in-process with their own database and clock. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    logger: {
      level: config.logLevel,
      // Structured logs must never carry credentials or session ids.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    },
  });
  const keys = deriveKeyRing(deps.masterKey);
  const delivery =
    deps.delivery ??
    (config.sms.provider === 'http'
      ? createHttpDeliveryProvider({ url: config.sms.url, token: config.sms.token })
      : createOutboxProvider(deps.db, clock));
  const ctx: ServerContext = {
    config,
    db: deps.db,
    clock,
    keys,
    box: new SecretBox(keys.encryption),
    delivery,
    log: app.log,
    kinds: new MethodKinds(deps.kinds ?? methodKinds),
  };
  app.decorate('ctx', ctx);
  app.decorateRequest('session', null);

  await app.register(fastifyCookie);
  securityHeaders(app);

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = readSessionCookie(req);
    req.session = token ? await loadSession(ctx, token) : null;
  });

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof ApiError) {
      if (error.data.retryAfterSeconds) reply.header('retry-after', String(error.data.retryAfterSeconds));
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.status(error.status).send(error.toBody());
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return reply.status(413).send({ error: { code: 'payload_too_large' } });
    if (status !== undefined && status >= 400 && status < 500) {
      // Malformed JSON, a wrong content type and the like: the client's fault, said as such.
      return reply.status(status === 415 ? 415 : 400).send({ error: { code: 'invalid_input' } });
    }
    req.log.error({ err: error }, 'Unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error' } });
  });

  route(app, health, async () => {
    await ctx.db.selectFrom('org_policy').select('id').limit(1).execute();
    return { ok: true as const };
  });
  authRoutes(app);
  securityInfoRoutes(app);
  for (const kind of ctx.kinds.modules) kind.routes(app);
  appPasswordRoutes(app);
  legacyRoutes(app);
  mailAuthRoutes(app);
  adminRoutes(app);
  temporaryAccessPassRoutes(app);
  verificationLogRoutes(app);
  for (const kind of ctx.kinds.modules) kind.adminRoutes?.(app);
  if (config.devTools) devRoutes(app);

  const openApi = openApiDocument(
    allEndpoints.filter((e) => config.devTools || e.tag !== 'dev'),
    { title: 'Security info API', version: '1' },
  );
  app.get('/api/openapi.json', async () => openApi);

  const clientDir = deps.clientDir;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: clientDir, wildcard: false, index: false });
    app.setNotFoundHandler((req, reply) => {
      if (req.method !== 'GET' || req.url.startsWith('/api/')) {
        return reply.status(404).send({ error: { code: 'not_found' } });
      }
      // Client-side routes: every page is the single-page app.
      return reply.type('text/html').sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: { code: 'not_found' } }));
  }
  return app;
}

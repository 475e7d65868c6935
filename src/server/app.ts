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
import { createTwilioProvider } from './core/delivery/twilio-provider.ts';
import { MailWorker } from './core/mail/mail-worker.ts';
import type { MailTransport } from './core/mail/mail-transport.ts';
import { createOutboxMailTransport } from './core/mail/outbox-transport.ts';
import { mailQueueCounts } from './core/mail/queue-store.ts';
import { createSmtpTransport } from './core/mail/smtp-transport.ts';
import { newId } from './core/crypto/random.ts';
import { authRoutes } from './core/routes/auth.ts';
import { loadSession } from './core/sessions/session-store.ts';
import { devRoutes } from './dev/routes.ts';
import { sendError } from './core/http/error-reply.ts';
import { openApiDocument } from './core/http/openapi.ts';
import { route } from './core/http/route.ts';
import { applySecurityHeaders, securityHeaders } from './core/http/security-headers.ts';
import { readSessionCookie } from './core/auth/session-cookie.ts';
import { appPasswordRoutes } from './methods/app-passwords/routes.ts';
import { legacyRoutes } from './methods/app-passwords/legacy-routes.ts';
import { mailAuthRoutes } from './methods/app-passwords/mail-auth-routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { verificationLogRoutes } from './admin/verification-log-routes.ts';
import { securityInfoRoutes } from './core/routes/security-info.ts';
import { strongerMethodsRoutes } from './core/routes/stronger-methods.ts';
import { temporaryAccessPassRoutes } from './core/routes/temporary-access-pass.ts';
import type { Database } from './core/storage/schema.ts';
import type { PoolUse } from './core/storage/db.ts';
import { Metrics } from './core/observability/metrics.ts';
import { serviceRoutes } from './core/observability/service-routes.ts';
import { MethodKinds, type MethodKindModule } from './core/security-info/method-kind.ts';
import { methodKinds } from './method-kinds.ts';

export interface AppDependencies {
  config: Config;
  db: Kysely<Database>;
  masterKey: Buffer;
  clock?: Clock;
  /** Defaults to what configuration names: the outbox, the HTTP gateway or Twilio. */
  delivery?: DeliveryProvider;
  /** Where queued e-mail goes; defaults to what configuration names: SMTP, or the outbox. */
  mailTransport?: MailTransport;
  /** Options of this instance's mail-queue worker (tests shorten the poll or the claim). */
  mailWorker?: { pollMs?: number; concurrency?: number; batch?: number; random?: () => number };
  /** Where the built client lives; not served when absent (API tests). */
  clientDir?: string;
  /** The verification method kinds to offer; all of `method-kinds.ts` by default. */
  kinds?: readonly MethodKindModule[];
  /** The database's connection pool, whose use /metrics shows. */
  pool?: PoolUse;
  /** Adds the process's CPU, memory and event-loop figures to /metrics: for the one app of a process (main.ts). */
  processMetrics?: boolean;
}

/** 64 KiB is far more than any request of this API needs (OWASP ASVS 5.0 V4.1). */
const BODY_LIMIT = 64 * 1024;

/** Builds the whole server from its dependencies, so tests run it in-process with their own database and clock. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // Longer than any path parameter the contract allows (user names: 128), so the schema, not the router, refuses one.
    routerOptions: { maxParamLength: 256 },
    // Errors the router raises before any route runs (a malformed URL, an over-long parameter) in the contract's shape too.
    frameworkErrors: (error, req, reply) => {
      applySecurityHeaders(req, reply);
      return sendError(error, req, reply);
    },
    trustProxy: config.trustProxy,
    logger: {
      level: config.logLevel,
      // Structured logs must never carry credentials or session ids.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    },
  });
  const keys = deriveKeyRing(deps.masterKey);
  const metrics = new Metrics({ ...(deps.pool ? { pool: deps.pool } : {}), processMetrics: deps.processMetrics ?? false });
  const delivery = countedDelivery(deps.delivery ?? smsProviderOf(config, deps.db, clock), metrics);
  const mail = new MailWorker({
    db: deps.db,
    clock,
    transport: countedMailTransport(deps.mailTransport ?? mailTransportOf(config, deps.db, clock), metrics),
    log: app.log,
    // Unique per process, so a restarted instance is not mistaken for the one that died.
    workerId: `${config.serverName}:${process.pid}:${newId().slice(0, 8)}`,
    leaseMs: config.outgoingMail.claimSeconds * 1000,
    ...deps.mailWorker,
  });
  const ctx: ServerContext = {
    config,
    db: deps.db,
    clock,
    keys,
    box: new SecretBox(keys.encryption),
    delivery,
    mail,
    log: app.log,
    kinds: new MethodKinds(deps.kinds ?? methodKinds),
    metrics,
    lifecycle: { stopping: false, lastRequestAt: 0 },
  };
  app.decorate('ctx', ctx);
  app.decorateRequest('session', null);

  await app.register(fastifyCookie);
  securityHeaders(app);

  app.addHook('onRequest', async (req, reply) => {
    ctx.lifecycle.lastRequestAt = Date.now();
    // Stopping: a read is turned away so the proxy retries it elsewhere and takes this instance out of its
    // rotation; a write is still served, as the proxy could not safely send it again (see main.ts).
    if (ctx.lifecycle.stopping && (req.method === 'GET' || req.method === 'HEAD')) {
      applySecurityHeaders(req, reply);
      return reply
        .status(503)
        .header('connection', 'close')
        .header('retry-after', '1')
        .send({ error: { code: 'unavailable' } });
    }
    if (!req.url.startsWith('/api/')) return;
    const token = readSessionCookie(req);
    req.session = token ? await loadSession(ctx, token) : null;
  });

  app.addHook('onResponse', async (req, reply) => {
    // The route's pattern, never the path itself: a path can carry a user name or an id.
    const labels = { route: req.routeOptions.url ?? 'unmatched', method: req.method };
    metrics.requests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.latency.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode === 429) metrics.throttled.inc({ route: labels.route });
  });

  app.setErrorHandler(sendError);
  // Only JSON bodies: a text/plain body would reach the schemas as a string instead of being refused as a media type.
  app.removeContentTypeParser('text/plain');

  route(app, health, async () => {
    await ctx.db.selectFrom('org_policy').select('id').limit(1).execute();
    return { ok: true as const, details: { mail: await mailQueueCounts(ctx.db) } };
  });
  serviceRoutes(app);
  authRoutes(app);
  securityInfoRoutes(app);
  strongerMethodsRoutes(app);
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
  mail.start();
  // Fastify runs this on close (SIGTERM in main.ts): the message being sent is finished, the rest stay queued.
  app.addHook('onClose', () => mail.stop());
  return app;
}

/** The provider, counting each send's result in /metrics. */
function countedDelivery(provider: DeliveryProvider, metrics: Metrics): DeliveryProvider {
  return { name: provider.name, send: (message) => metrics.delivered(message.channel, provider.name, () => provider.send(message)) };
}

function countedMailTransport(transport: MailTransport, metrics: Metrics): MailTransport {
  return {
    name: transport.name,
    send: (mail) => metrics.delivered('email', transport.name, () => transport.send(mail)),
    close: () => transport.close(),
  };
}

function smsProviderOf(config: Config, db: Kysely<Database>, clock: Clock): DeliveryProvider {
  const sms = config.sms;
  if (sms.provider === 'http') return createHttpDeliveryProvider({ url: sms.url, token: sms.token });
  if (sms.provider === 'twilio') return createTwilioProvider(sms);
  return createOutboxProvider(db, clock);
}

function mailTransportOf(config: Config, db: Kysely<Database>, clock: Clock): MailTransport {
  const mail = config.outgoingMail;
  if (mail.transport === 'outbox') return createOutboxMailTransport(db, clock);
  // A send must end well inside the claim, or another instance could take the message over mid-send.
  const timeoutMs = Math.min(30_000, (mail.claimSeconds * 1000) / 4);
  return createSmtpTransport({ url: mail.url, tls: mail.tls, from: mail.from, timeoutMs });
}

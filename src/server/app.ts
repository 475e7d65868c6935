import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCompress from '@fastify/compress';
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
import { RequestLogging } from './core/http/request-logging.ts';
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
import { recoveryCodeRoutes } from './core/routes/recovery-codes.ts';
import { accountReportRoutes } from './account-report/routes.ts';
import { passwordResetRoutes } from './core/routes/password-reset.ts';
import { passwordRoutes } from './core/routes/password.ts';
import type { Database } from './core/storage/schema.ts';
import type { PoolUse } from './core/storage/db.ts';
import { Metrics } from './core/observability/metrics.ts';
import { ChangeFeed } from './core/storage/change-feed.ts';
import { verificationLogWriter } from './core/audit/verification-log.ts';
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
    logController: new RequestLogging(),
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
    changes: new ChangeFeed({ db: deps.db, log: app.log }),
    logWriter: verificationLogWriter(deps.db),
    lifecycle: { stopping: false, lastRequestAt: 0 },
  };
  app.decorate('ctx', ctx);
  app.decorateRequest('session', null);

  await app.register(fastifyCookie);
  // Answers of 1 KB and more travel compressed when the client accepts it (docs/reference.md#compression).
  // Request bodies are not inflated: the body limit counts the bytes that arrive.
  await app.register(fastifyCompress, { threshold: 1024, encodings: ['br', 'gzip'], globalDecompression: false });
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
  recoveryCodeRoutes(app);
  accountReportRoutes(app);
  passwordResetRoutes(app);
  passwordRoutes(app);
  verificationLogRoutes(app);
  for (const kind of ctx.kinds.modules) kind.adminRoutes?.(app);
  if (config.devTools) devRoutes(app);

  // Made at the first request for it: turning every schema into JSON Schema is a good part of a start's work.
  let openApi: ReturnType<typeof openApiDocument> | undefined;
  app.get('/api/openapi.json', async () => {
    openApi ??= openApiDocument(
      allEndpoints.filter((e) => config.devTools || e.tag !== 'dev'),
      { title: 'Security info API', version: '1' },
    );
    return openApi;
  });

  const clientDir = deps.clientDir;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    // One wildcard route that looks for the file on request, rather than a route per built file made
    // at start by listing the directory (a good part of a start's work); a path with no file falls
    // through to the not-found handler below, and `/` is the app's index.html. The build writes .br
    // and .gz beside each file (scripts/precompress.ts); the one the client accepts is sent as it
    // is. Hashed assets never change under their name (docs/reference.md#compression).
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: true,
      index: ['index.html'],
      preCompressed: true,
      // The headers below decide caching, not the defaults of the file sender.
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader('vary', 'accept-encoding');
        res.setHeader('cache-control', isHashedAsset(clientDir, path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.setNotFoundHandler((req, reply) => {
      if (req.method !== 'GET' || req.url.startsWith('/api/')) {
        return reply.status(404).send({ error: { code: 'not_found' } });
      }
      // Client-side routes: every page is the single-page app (setHeaders above: no-cache).
      return reply.type('text/html').sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: { code: 'not_found' } }));
  }
  mail.start();
  ctx.changes.start();
  // Fastify runs this on close (SIGTERM in main.ts): the message being sent is finished, the rest stay queued.
  app.addHook('onClose', () => mail.stop());
  app.addHook('onClose', () => ctx.changes.stop());
  return app;
}

/** The provider, counting each send's result in /metrics. */
/** Files Vite names by their content (dist/client/assets/name-hash.js): a new build gives them new names. */
function isHashedAsset(clientDir: string, path: string): boolean {
  return relative(clientDir, path).startsWith(`assets${sep}`);
}

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

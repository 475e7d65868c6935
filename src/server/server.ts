import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './core/config.ts';
import { loadMasterKey } from './core/crypto/keys.ts';
import { seedDemoOrganisation } from './demo/seed.ts';
import { sweepExpired } from './core/maintenance.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from './core/storage/db.ts';

/** A setting that is missing or wrong, or a database this code cannot run on, stops the start with one line saying so. */
function notStarting(error: unknown): never {
  console.error(`Not starting: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

function configOrExit(): { config: Config; masterKey: Buffer } {
  try {
    const config = loadConfig();
    return { config, masterKey: loadMasterKey({ secretKey: config.secretKey, keyFile: config.keyFile, production: config.production }) };
  } catch (error) {
    notStarting(error);
  }
}

async function migratedOrExit(database: DatabaseHandle): Promise<string[]> {
  try {
    return await migrateToLatest(database.db);
  } catch (error) {
    await database.close().catch(() => undefined);
    notStarting(error);
  }
}

/** Quiet this long and the proxy has stopped sending here (or nothing is coming): the port can close. */
const QUIET_MS = 300;
/** A stream of writes alone never takes an instance out of rotation; stop waiting for quiet after this. */
const DRAIN_MAX_MS = 3_000;

/**
 * Opens the database (migrating it), builds the app and listens, and stops it
 * cleanly on SIGTERM. `main.ts` runs it under tsx; the built server runs it
 * from a bundle compiled with a code cache (docs/reference.md#server-start).
 */
export async function runServer(start: { codeCache?: boolean } = {}): Promise<void> {
  const { config, masterKey } = configOrExit();
  const database = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
  const migrated = await migratedOrExit(database);
  const app = await buildApp({
    config,
    db: database.db,
    masterKey,
    clientDir: process.env.CLIENT_DIR ?? resolve('dist/client'),
    ...(database.pool ? { pool: database.pool } : {}),
    processMetrics: true,
  });
  // Operators (and the multi-instance test) read from this line which instance ran the migrations.
  app.log.info(
    { migrations: migrated },
    migrated.length > 0 ? `Migrated the database: ${migrated.join(', ')}` : 'Database schema is current',
  );
  if (config.demoData) await seedDemoOrganisation(app.ctx);

  // Expired rows are swept periodically; any instance may do it.
  const sweep = setInterval(
    () => {
      sweepExpired(app.ctx).catch((err: unknown) => app.log.warn({ err }, 'Sweep of expired rows failed'));
    },
    10 * 60 * 1000,
  );
  sweep.unref();

  // /metrics without a token, on an address only the monitoring system reaches.
  const metricsServer =
    config.metrics.port === undefined
      ? undefined
      : createServer((req, res) => {
          if (req.method !== 'GET' || req.url !== '/metrics') return void res.writeHead(404).end();
          app.ctx.metrics.text().then(
            (text) => res.writeHead(200, { 'content-type': app.ctx.metrics.contentType }).end(text),
            () => res.writeHead(500).end(),
          );
        });
  if (metricsServer) await new Promise<void>((done) => metricsServer.listen(config.metrics.port, config.metrics.host, done));

  await app.listen({ host: config.host, port: config.port });
  // Whether the built server started from its code cache: a cache written by another Node version is not.
  app.log.info({ codeCache: start.codeCache ?? false }, `Security info app on ${config.publicOrigin} (${database.kind})`);

  /**
   * SIGTERM (systemd stop, a deploy). Closing the port at once would reset the
   * connections the kernel has accepted but the process has not yet taken, and
   * nginx cannot resend a POST it has already sent. So first the instance turns
   * reads away with 503 (nginx retries them on another instance and, with
   * max_fails=1, takes this one out of rotation) while still serving writes;
   * once no request has come for QUIET_MS the port closes (nginx's connections
   * are then refused, which it retries safely), requests in flight finish (up to
   * SHUTDOWN_GRACE_SECONDS; idle keep-alive connections close at once), the mail
   * worker finishes the message it is sending, the pool closes, and the process
   * exits 0.
   */
  async function stop(signal: string): Promise<void> {
    const { lifecycle } = app.ctx;
    lifecycle.stopping = true;
    app.log.info(`${signal}: stopping`);
    const drainUntil = Date.now() + DRAIN_MAX_MS;
    lifecycle.lastRequestAt = Date.now();
    while (Date.now() - lifecycle.lastRequestAt < QUIET_MS && Date.now() < drainUntil) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const grace = setTimeout(() => {
      app.log.warn('Requests still running after the grace period; closing their connections');
      app.server.closeAllConnections();
    }, config.shutdownGraceMs);
    grace.unref();
    try {
      metricsServer?.close();
      await app.close();
      await database.close();
      app.log.info('Stopped');
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'Stopping failed');
      process.exit(1);
    }
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));
}

/**
 * Does what a start does (migrates a database, builds the app, answers a health check) on a
 * throwaway SQLite file, and closes again. The build runs it before writing the code cache,
 * so that the cache holds the functions a start compiles (docs/reference.md#server-start).
 */
export async function warmUp(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'secinfo-warm-up-'));
  try {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DEMO_DATA: 'off' });
    const database = openDatabase({ sqlitePath: config.sqlitePath });
    try {
      await migrateToLatest(database.db);
      const app = await buildApp({ config, db: database.db, masterKey: randomBytes(32), clientDir: dataDir });
      try {
        const health = await app.inject({ method: 'GET', url: '/api/health' });
        if (health.statusCode !== 200) throw new Error(`the warm-up's health check answered ${health.statusCode}`);
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

import { resolve } from 'node:path';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './core/config.ts';
import { loadMasterKey } from './core/crypto/keys.ts';
import { seedDemoOrganisation } from './demo/seed.ts';
import { sweepExpired } from './core/maintenance.ts';
import { migrateToLatest, openDatabase } from './core/storage/db.ts';

/** A setting that is missing or wrong stops the start with one line naming it, for the service log. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    console.error(`Not starting: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

const config = configOrExit();
const database = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
await migrateToLatest(database.db);
const masterKey = loadMasterKey({ secretKey: config.secretKey, keyFile: config.keyFile, production: config.production });
const app = await buildApp({
  config,
  db: database.db,
  masterKey,
  clientDir: process.env.CLIENT_DIR ?? resolve('dist/client'),
});
if (config.demoData) await seedDemoOrganisation(app.ctx);

// Expired rows are swept periodically; any instance may do it.
const sweep = setInterval(
  () => {
    sweepExpired(app.ctx).catch((err: unknown) => app.log.warn({ err }, 'Sweep of expired rows failed'));
  },
  10 * 60 * 1000,
);
sweep.unref();

await app.listen({ host: config.host, port: config.port });
app.log.info(`Security info app on ${config.publicOrigin} (${database.kind})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => database.close());
  });
}

/**
 * What storing one verification-log record costs on SQLite, beside what the legacy endpoint's
 * yardstick spends on a whole request, measured in the same run (docs/reference.md#performance-limits).
 *
 * The legacy endpoint must write every attempt to the log before it answers. At 0.5 × the
 * yardstick, its whole request may cost twice the yardstick's; the HTTP work alone is about the
 * yardstick's. So if a record costs about as much as a yardstick request, nothing is left for the
 * rest of the route. This measures that cost through the app's own group-commit writer
 * (`verificationLogWriter`, one transaction per batch), on a file migrated like production, with
 * batches of 1, 5 and 10 records (10 connections make batches of 10 at most), and once with the
 * log's indexes for the administrators' filters dropped, to show what they cost.
 *
 * Both sides are CPU time of this process (autocannon loads the yardstick from here, as in
 * bench/legacy-endpoint.ts), in alternating turns. `npx tsx bench/log-write-cost.ts` prints the rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { verificationLogWriter, type VerificationLogRow } from '../src/server/core/audit/verification-log.ts';
import { formatAppPassword, generateAppPassword, hashAppPassword } from '../src/server/methods/app-passwords/app-password-secret.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../src/server/core/storage/db.ts';
import { startBareServer } from './lib/bare-server.ts';
import { runLoad } from './lib/load.ts';
import type { BenchRow } from './lib/rows.ts';
import { isMain, printRows } from './lib/table.ts';

const ROUNDS = 3;
const RECORDS_PER_TURN = 3_000;
const YARDSTICK_SECONDS = 2;
const BATCHES = [1, 5, 10] as const;

/** A legacy sign-in's record, as the endpoint writes it. */
function record(i: number): VerificationLogRow {
  return {
    id: '',
    at: Date.now(),
    user_id: `user-${i % 50}`,
    username: `user${i % 50}@example.org`,
    first_name: 'Bench',
    last_name: 'User',
    email: null,
    phone: null,
    device_token: null,
    auth_mode: 'app_password',
    event: 'legacy.sign_in',
    result: 'success',
    denial_reason: null,
    server_name: 'bench',
    server_ip: '127.0.0.1',
    client_ip: `10.0.${i % 7}.${i % 200}`,
    provider_message_id: null,
  };
}

async function openMigrated(dir: string, name: string, withoutAdminIndexes: boolean): Promise<DatabaseHandle> {
  const database = openDatabase({ sqlitePath: join(dir, name) });
  await migrateToLatest(database.db);
  if (withoutAdminIndexes) {
    const indexes = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'index' and tbl_name = 'verification_log' and sql is not null`.execute(database.db);
    for (const { name: index } of indexes.rows) await sql`drop index ${sql.ref(index)}`.execute(database.db);
  }
  return database;
}

/** CPU microseconds of this process per record, `count` records written `batch` at a time. */
async function microsPerRecord(database: DatabaseHandle, batch: number, count: number): Promise<number> {
  const writer = verificationLogWriter(database.db);
  const before = process.cpuUsage();
  for (let written = 0; written < count; written += batch) {
    // Written in one turn, they are committed together, as concurrent requests' records are.
    await Promise.all(Array.from({ length: batch }, (_, i) => writer.write(record(written + i))));
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

interface Yardstick {
  microsPerRequest(): Promise<number>;
  close(): Promise<void>;
}

/** The legacy endpoint's yardstick: bare node:http, Basic parsing and one HMAC, loaded from this process. */
async function startYardstick(): Promise<Yardstick> {
  const key = randomBytes(32);
  const raw = generateAppPassword();
  const bare = await startBareServer({
    users: new Map([['bench-user', { hash: hashAppPassword(key, raw), displayName: 'Bench User' }]]),
    key,
  });
  const authorization = `Basic ${Buffer.from(`bench-user:${formatAppPassword(raw)}`).toString('base64')}`;
  return {
    microsPerRequest: async () => {
      const before = process.cpuUsage();
      const result = await runLoad({ url: bare.url, headers: { authorization }, durationSeconds: YARDSTICK_SECONDS });
      const used = process.cpuUsage(before);
      if (result.non2xx > 0 || result.errors > 0) throw new Error('the yardstick answered non-2xx or failed');
      return (used.user + used.system) / (result.requestsPerSecond * YARDSTICK_SECONDS);
    },
    close: () => bare.close(),
  };
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function logWriteCostRows(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'secinfo-bench-log-'));
  const yardstick = await startYardstick();
  const full = await openMigrated(dir, 'full.sqlite', false);
  const bare = await openMigrated(dir, 'no-admin-indexes.sqlite', true);
  try {
    const cases = [
      ...BATCHES.map((batch) => ({ batch, database: full, label: `in batches of ${batch}` })),
      { batch: 10, database: bare, label: 'in batches of 10, without the indexes of the log filters' },
    ];
    // A first pass of each, unmeasured: the first records grow the files and warm the code.
    for (const c of cases) await microsPerRecord(c.database, c.batch, RECORDS_PER_TURN / 3);
    await yardstick.microsPerRequest();
    const yardstickRuns: number[] = [];
    const caseRuns = cases.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      yardstickRuns.push(await yardstick.microsPerRequest());
      for (const [i, c] of cases.entries()) caseRuns[i]!.push(await microsPerRecord(c.database, c.batch, RECORDS_PER_TURN));
    }
    const perRequest = mean(yardstickRuns);
    return cases.map((c, i) => {
      const perRecord = mean(caseRuns[i]!);
      return {
        figure: `CPU to store one verification-log record ${c.label}, beside a whole yardstick request`,
        database: 'sqlite' as const,
        app: perRecord,
        yardstick: perRequest,
        unit: 'µs',
        ratio: perRecord / perRequest,
      };
    });
  } finally {
    await yardstick.close();
    await full.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) printRows(await logWriteCostRows());

/**
 * Mail-queue throughput: notices queued in transactions, then sent by the
 * app's worker (claim, SMTP send, mark sent, each a database write) to a local
 * SMTP sink (smtp-server), beside a yardstick: nodemailer sending the same
 * messages straight to the same sink, with the same pool of 3 connections and
 * 3 sends at a time, no queue. The ratio says what the durable queue costs.
 * SQLite in a temp dir, and PostgreSQL when reachable (BENCH_PG=0 skips it).
 * `BENCH_MAILS` sets the number of messages (default 2000).
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import nodemailer from 'nodemailer';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/core/config.ts';
import { htmlOf } from '../src/server/core/mail/compose.ts';
import { enqueueMail } from '../src/server/core/mail/queue-store.ts';
import { migrateToLatest, openDatabase, type DatabaseKind } from '../src/server/core/storage/db.ts';
import { inTransaction } from '../src/server/core/transaction.ts';
import { startSmtpSink, type SmtpSink } from '../src/server/test-support/smtp-sink.ts';
import { createTestDatabase } from '../src/server/test-support/test-app.ts';

const MAILS = Number(process.env.BENCH_MAILS ?? 2000);
const FROM = 'Security Info <security@example.org>';
const text = (i: number) =>
  `Hello Ola,\n\nA sign-in method was added to your account: Authenticator app (#${i}).\n\nIf it was not you, tell your administrator at once.`;

async function waitFor(sink: SmtpSink, count: number): Promise<void> {
  while (sink.accepted.length < count) await new Promise((r) => setTimeout(r, 2));
}

/** nodemailer straight to the sink: what sending costs with no queue at all. */
async function yardstick(): Promise<number> {
  const sink = await startSmtpSink();
  const transporter = nodemailer.createTransport({ pool: true, maxConnections: 3, host: '127.0.0.1', port: sink.port, ignoreTLS: true });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (next < MAILS) {
        const i = next++;
        await transporter.sendMail({
          from: FROM,
          to: `n${i}@example.test`,
          subject: 'Your security info changed',
          text: text(i),
          html: htmlOf(text(i), 'en'),
          messageId: `<y${i}@example.org>`,
          headers: { 'Content-Language': 'en', 'Auto-Submitted': 'auto-generated' },
        });
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  transporter.close();
  await sink.stop();
  return MAILS / seconds;
}

/** The app's queue: every message queued (in transactions of 100), then sent by the worker. */
async function queue(kind: DatabaseKind): Promise<{ enqueuePerSecond: number; deliverPerSecond: number; endToEndPerSecond: number }> {
  const sink = await startSmtpSink();
  const target = await createTestDatabase(kind);
  const handle = openDatabase({ databaseUrl: target.url, sqlitePath: target.sqlitePath === ':memory:' ? ':memory:' : target.sqlitePath });
  await migrateToLatest(handle.db);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: tmpdir(),
    DEMO_DATA: 'off',
    SMTP_URL: sink.url,
    SMTP_TLS: 'off',
    MAIL_FROM: FROM,
  });
  const app = await buildApp({ config, db: handle.db, masterKey: randomBytes(32) });
  const start = performance.now();
  for (let batch = 0; batch < MAILS; batch += 100) {
    await inTransaction(app.ctx, async (tx) => {
      for (let i = batch; i < Math.min(MAILS, batch + 100); i++) {
        await enqueueMail(tx, {
          userId: null,
          to: `n${i}@example.test`,
          language: 'en',
          subject: 'Your security info changed',
          body: text(i),
        });
      }
    });
  }
  const queued = performance.now();
  // The worker was woken by each commit and has been sending meanwhile.
  const sentWhileQueueing = sink.accepted.length;
  await waitFor(sink, MAILS);
  const done = performance.now();
  if (new Set(sink.accepted.map((m) => m.messageId)).size !== MAILS) throw new Error('a message arrived twice');
  await app.close();
  await handle.close();
  await target.drop();
  await sink.stop();
  return {
    enqueuePerSecond: MAILS / ((queued - start) / 1000),
    deliverPerSecond: (MAILS - sentWhileQueueing) / ((done - queued) / 1000),
    endToEndPerSecond: MAILS / ((done - start) / 1000),
  };
}

async function postgresReachable(): Promise<boolean> {
  if (process.env.BENCH_PG === '0') return false;
  try {
    const db = await createTestDatabase('postgres');
    await db.drop();
    return true;
  } catch {
    return false;
  }
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kinds: DatabaseKind[] = ['sqlite', ...((await postgresReachable()) ? ['postgres' as const] : [])];

console.log(`\nMail queue: ${MAILS} notices to a local SMTP sink (smtp-server), 3 connections, median of ${ROUNDS} rounds`);
// On a shared machine the load changes from minute to minute: each queue run is measured right
// after a yardstick run of its own, and the ratios are what is reported.
const figures = new Map(
  kinds.map((k) => [k, { direct: [] as number[], queued: [] as number[], endToEnd: [] as number[], ratio: [] as number[] }]),
);
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of kinds) {
    const direct = await yardstick();
    const r = await queue(kind);
    const f = figures.get(kind)!;
    f.direct.push(direct);
    f.queued.push(r.enqueuePerSecond);
    f.endToEnd.push(r.endToEndPerSecond);
    f.ratio.push(r.endToEndPerSecond / direct);
  }
}
const row = (cells: string[]) =>
  console.log(
    `  ${cells[0]!.padEnd(9)}${cells
      .slice(1)
      .map((c) => c.padStart(Math.max(14, c.length + 2)))
      .join('')}`,
  );
row(['', 'yardstick/s', 'queued/s', 'delivered/s', 'ratio']);
for (const [kind, f] of figures) {
  row([
    kind,
    median(f.direct).toFixed(0),
    median(f.queued).toFixed(0),
    median(f.endToEnd).toFixed(0),
    `${median(f.ratio).toFixed(2)} (${Math.min(...f.ratio).toFixed(2)}–${Math.max(...f.ratio).toFixed(2)})`,
  ]);
}
console.log('  yardstick: nodemailer straight to the sink; queued: written in transactions of 100;');
console.log('  delivered: from the first insert until the sink has every message (queue → worker → SMTP);');
console.log('  ratio: delivered / yardstick, median (range).');

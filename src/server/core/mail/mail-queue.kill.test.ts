import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../config.ts';
import { migrateToLatest, openDatabase } from '../storage/db.ts';
import { inTransaction } from '../transaction.ts';
import { exitOf, startServerProcess } from '../../test-support/server-process.ts';
import { startSmtpSink, type SmtpSink } from '../../test-support/smtp-sink.ts';
import { enqueueMail } from './queue-store.ts';

const NOTICES = 40;
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('kill -9 of an instance while it sends (sqlite)', () => {
  let dir: string;
  let sink: SmtpSink;
  let queued: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secinfo-kill-'));
    // Each message takes the sink 100 ms, so the kill finds sends under way.
    sink = await startSmtpSink({ delayMs: 100 });
    // Commit the notices before any server runs, through an app whose worker is stopped at once.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir });
    const handle = openDatabase({ sqlitePath: config.sqlitePath });
    await migrateToLatest(handle.db);
    const app = await buildApp({ config, db: handle.db, masterKey: Buffer.alloc(32, 3) });
    await app.ctx.mail.stop();
    await inTransaction(app.ctx, async (tx) => {
      for (let i = 0; i < NOTICES; i++) {
        await enqueueMail(tx, { userId: null, to: `n${i}@example.test`, language: 'en', subject: 'Notice', body: `Notice ${i}` });
      }
    });
    queued = (await handle.db.selectFrom('mail_queue').select('message_id').execute()).map((r) => r.message_id);
    await app.close();
    await handle.close();
  });
  afterAll(async () => {
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every committed notice after a restart (at least once)', async () => {
    const env = {
      NODE_ENV: 'development',
      DEMO_DATA: 'off',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      PORT: '0',
      SMTP_URL: sink.url,
      SMTP_TLS: 'off',
      MAIL_FROM: 'Security Info <security@example.org>',
      // A dead instance's claims run out after 5 s instead of 5 min, so the test need not wait long.
      MAIL_CLAIM_SECONDS: '5',
    };
    const first = startServerProcess(env);
    await until(() => sink.accepted.length >= 5, 30_000);
    first.kill('SIGKILL');
    expect(await exitOf(first)).toBe('SIGKILL');
    const beforeRestart = new Set(sink.accepted.map((m) => m.messageId)).size;
    expect(beforeRestart).toBeLessThan(NOTICES);

    const second = startServerProcess(env);
    try {
      await until(() => queued.every((id) => sink.accepted.some((m) => m.messageId === id)), 40_000);
    } finally {
      second.kill('SIGTERM');
    }
    expect(await exitOf(second)).toBe(0);

    // Every notice arrived; a duplicate is possible only for the sends under way at the kill (3 lanes).
    const duplicates = sink.accepted.length - new Set(sink.accepted.map((m) => m.messageId)).size;
    expect(duplicates).toBeLessThanOrEqual(3);
  }, 90_000);
});

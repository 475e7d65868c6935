import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { ManualClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../storage/db.ts';
import { inTransaction } from '../transaction.ts';
import type { MailTransport, OutgoingMail } from './mail-transport.ts';
import { enqueueMail } from './queue-store.ts';

/** A transport whose sends finish only when the test lets them. */
function heldTransport() {
  const sent: OutgoingMail[] = [];
  const waiting: (() => void)[] = [];
  let started = 0;
  const transport: MailTransport = {
    name: 'held',
    async send(mail) {
      started++;
      await new Promise<void>((resolve) => waiting.push(resolve));
      sent.push(mail);
    },
    close() {},
  };
  return {
    transport,
    sent,
    get started() {
      return started;
    },
    releaseAll: () => waiting.splice(0).forEach((r) => r()),
  };
}

describe('MailWorker', () => {
  let dir: string;
  let handle: DatabaseHandle;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'secinfo-mail-'));
    handle = openDatabase({ sqlitePath: join(dir, 'test.sqlite') });
    await migrateToLatest(handle.db);
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on shutdown finishes the messages being sent and leaves the rest queued', async () => {
    const held = heldTransport();
    const app = await buildApp({
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dir }),
      db: handle.db,
      masterKey: Buffer.alloc(32, 7),
      clock: new ManualClock(Date.UTC(2026, 10, 25)),
      mailTransport: held.transport,
      mailWorker: { concurrency: 2, batch: 2 },
    });
    await inTransaction(app.ctx, async (tx) => {
      for (let i = 0; i < 5; i++)
        await enqueueMail(tx, { userId: null, to: `n${i}@example.test`, language: 'en', subject: 'S', body: 'B' });
    });
    await expect.poll(() => held.started).toBe(2);

    const closing = app.close();
    // Closing waits for the two sends under way…
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.releaseAll();
    await closing;

    // …which were recorded as sent; no third was started, and the rest (two of them claimed with
    // the first two, one never claimed) wait for the next instance, their attempt not counted.
    expect(held.sent).toHaveLength(2);
    expect(held.started).toBe(2);
    const rows = await handle.db.selectFrom('mail_queue').select(['status', 'attempts', 'claimed_by']).execute();
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(2);
    expect(rows.filter((r) => r.status === 'pending')).toEqual(
      Array.from({ length: 3 }, () => ({ status: 'pending', attempts: 0, claimed_by: null })),
    );
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVerificationLogGrouped } from '../audit/verification-log.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';
import { openDatabase, type DatabaseHandle } from './db.ts';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('commits rows that arrive together in one batch, and settles each write only after its batch committed', async () => {
    const batches: number[][] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const writer = new GroupCommit<number>(async (rows) => {
      batches.push([...rows]);
      if (batches.length === 1) await firstHeld;
    });
    const settled: number[] = [];
    const first = Array.from({ length: 5 }, (_, i) => writer.write(i).then(() => settled.push(i)));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    // The first batch is committing (held); rows written meanwhile wait for the next one.
    const second = Array.from({ length: 7 }, (_, i) => writer.write(100 + i).then(() => settled.push(100 + i)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
    expect(settled).toEqual([]);
    releaseFirst();
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([
      [0, 1, 2, 3, 4],
      [100, 101, 102, 103, 104, 105, 106],
    ]);
    expect(settled.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(writer.pending).toBe(0);
  });

  it('rejects every write of a batch whose commit failed, and goes on with the next', async () => {
    let calls = 0;
    const writer = new GroupCommit<string>(async () => {
      calls += 1;
      if (calls === 1) throw new Error('disk full');
    });
    const failed = await Promise.allSettled([writer.write('a'), writer.write('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(writer.write('c')).resolves.toBeUndefined();
  });

  it('never puts more than maxBatch rows in one commit', async () => {
    const sizes: number[] = [];
    const writer = new GroupCommit<number>(
      async (rows) => {
        sizes.push(rows.length);
      },
      { maxBatch: 4 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.write(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });
});

describe.each(testDatabases)('grouped verification log (%s)', (kind) => {
  let t: TestApp;
  let other: DatabaseHandle;
  beforeAll(async () => {
    t = await startTestApp(kind);
    // A second connection to the same database: what it sees is what is committed.
    other = openDatabase({ databaseUrl: t.database.url, sqlitePath: t.database.sqlitePath });
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  it('writes every record of concurrent requests, each committed before its write resolves', async () => {
    const run = randomBytes(4).toString('hex');
    const names = Array.from({ length: 60 }, (_, i) => `grouped-${run}-${i}`);
    const seenOnResolve = await Promise.all(
      names.map(async (username) => {
        await writeVerificationLogGrouped(t.app.ctx, {
          user: { id: null, username },
          event: 'legacy_sign_in',
          authMode: 'app_password',
          result: 'denied',
          denialReason: 'invalid_credentials',
          clientIp: '192.0.2.9',
        });
        const row = await other.db.selectFrom('verification_log').select('username').where('username', '=', username).executeTakeFirst();
        return row?.username;
      }),
    );
    expect(seenOnResolve).toEqual(names);
    const rows = await other.db
      .selectFrom('verification_log')
      .select(['id', 'username', 'server_name', 'client_ip'])
      .where('username', 'like', `grouped-${run}-%`)
      .execute();
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => r.id)).size).toBe(60);
    expect(rows.every((r) => r.client_ip === '192.0.2.9' && r.server_name === t.config.serverName)).toBe(true);
  });
});

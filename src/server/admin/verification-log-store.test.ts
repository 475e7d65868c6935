import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogCursor, LogFilter } from '../../shared/api/admin-log.ts';
import { writeVerificationLog } from '../core/audit/verification-log.ts';
import { startTestApp, testDatabases, type TestApp } from '../test-support/test-app.ts';
import { countPrefixMatches, logRecordsFrom, prefixPlanFor, type LogRow } from './verification-log-store.ts';

const newestFirst = (a: LogRow, b: LogRow) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe.each(testDatabases)('a user-name prefix read by name or by time (%s)', (kind) => {
  let t: TestApp;
  let expected: LogRow[];
  beforeAll(async () => {
    t = await startTestApp(kind);
    // Matches and non-matches interleaved in time, several to a timestamp.
    for (let i = 0; i < 40; i++) {
      for (const username of [`ann-${i % 4}`, `anna-${i % 3}`, `ano-${i}`, `bob-${i}`]) {
        await writeVerificationLog(t.app.ctx, {
          user: { id: null, username },
          event: 'sign_in.password',
          authMode: 'password',
          result: 'success',
        });
      }
      if (i % 3 === 0) t.clock.advance(1000);
    }
    const all = await t.app.ctx.db.selectFrom('verification_log').selectAll().execute();
    expected = all.filter((r) => r.username.startsWith('ann')).sort(newestFirst);
  });
  afterAll(async () => t.close());

  const filter: LogFilter = { user: 'ann', userMatch: 'prefix' };

  /** Every page of 7, older then back newer, reading by name (the default limit) or by time (a limit of 1 match). */
  async function walk(byNameMax: number | undefined) {
    const older: LogRow[][] = [];
    let cursor: LogCursor | undefined;
    for (;;) {
      const rows = await logRecordsFrom(t.app.ctx, filter, cursor, 7, byNameMax);
      if (rows.length === 0) break;
      older.push(rows);
      const last = rows.at(-1)!;
      cursor = { at: last.at, id: last.id, direction: 'older' };
    }
    const first = older.at(-1)![0]!;
    const newer = await logRecordsFrom(t.app.ctx, filter, { at: first.at, id: first.id, direction: 'newer' }, 7, byNameMax);
    return { older: older.flat().map((r) => r.id), newer: newer.map((r) => r.id) };
  }

  it('reads the same pages either way, newest first, each record once', async () => {
    const ids = expected.map((r) => r.id);
    const byName = await walk(undefined);
    const byTime = await walk(1);
    expect(byName.older).toEqual(ids);
    expect(byTime.older).toEqual(ids);
    // The seven before the last page started, oldest of them last.
    const lastPageStart = ids.length - (ids.length % 7 || 7);
    expect(byName.newer).toEqual(ids.slice(lastPageStart - 7, lastPageStart));
    expect(byTime.newer).toEqual(byName.newer);
  });

  it('counts matches up to the limit, and chooses by that on SQLite only', async () => {
    expect(await countPrefixMatches(t.app.ctx, 'ann', 1000)).toBe(expected.length);
    expect(await countPrefixMatches(t.app.ctx, 'ann', 5)).toBe(5);
    expect(await prefixPlanFor(t.app.ctx, filter)).toBe(kind === 'sqlite' ? 'by-name' : 'planner');
    expect(await prefixPlanFor(t.app.ctx, filter, 5)).toBe(kind === 'sqlite' ? 'by-time' : 'planner');
    expect(await prefixPlanFor(t.app.ctx, { user: 'ann' }, 5)).toBe('planner');
  });
});

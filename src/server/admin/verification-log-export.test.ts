import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVerificationLog } from '../core/audit/verification-log.ts';
import { startTestApp, type TestApp } from '../test-support/test-app.ts';
import { verificationLogCsv } from './verification-log-csv.ts';

describe('the CSV export when the client goes away', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    for (let i = 0; i < 30; i++) {
      await writeVerificationLog(t.app.ctx, {
        user: { id: null, username: `gone-${i}` },
        event: 'sign_in.password',
        authMode: 'password',
        result: 'success',
      });
    }
  });
  afterAll(async () => t.close());

  it('runs no further query once the response is closed', async () => {
    const stopped = new AbortController();
    // The page queries, told from the count of a prefix's matches that precedes each on SQLite by their order.
    const queries: string[] = [];
    const ctx = {
      ...t.app.ctx,
      db: t.app.ctx.db.withPlugin({
        transformQuery: (a) => (a.node.kind === 'SelectQueryNode' && a.node.orderBy && queries.push(a.node.kind), a.node),
        transformResult: async (a) => a.result,
      }),
    };
    const chunks: string[] = [];
    for await (const chunk of verificationLogCsv(ctx, { user: 'gone-', userMatch: 'prefix' }, stopped.signal, 5)) {
      chunks.push(chunk);
      if (chunks.length === 3) stopped.abort();
    }
    // The header, then two pages of five: the third page was never asked for.
    expect(chunks).toHaveLength(3);
    expect(queries).toHaveLength(2);
  });
});

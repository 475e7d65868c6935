import { afterAll, beforeAll, expect, it } from 'vitest';
import { session } from '../../shared/api/index.ts';
import { freshBrowser } from './flows.ts';
import { statementsDuring } from './statement-log.ts';
import { startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp('sqlite');
});
afterAll(async () => {
  await t.close();
});

it('records what the call makes, not what a timer of the app queries meanwhile', async () => {
  // Like the app's pollers: started before, querying through ctx.db on its own schedule.
  let timerQueries = 0;
  const timer = setInterval(() => {
    void t.app.ctx.db
      .selectFrom('org_policy')
      .select('id')
      .execute()
      .then(() => (timerQueries += 1));
  }, 5);
  try {
    const statements = await statementsDuring(t, async () => {
      await t.app.ctx.db.selectFrom('users').select('id').execute();
      const seenBefore = timerQueries;
      await new Promise<void>((resolve) => {
        const waiting = setInterval(() => {
          if (timerQueries > seenBefore) {
            clearInterval(waiting);
            resolve();
          }
        }, 1);
      });
    });
    expect(statements).toEqual(['select users']);
  } finally {
    clearInterval(timer);
  }
});

it('records the statements of a request the call makes through the app', async () => {
  const browser = await freshBrowser(t);
  const statements = await statementsDuring(t, () => browser.call(session.getSession));
  expect(statements).toEqual(['select sessions']);
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session } from '../../../shared/api/index.ts';
import { migrationProvider } from '../storage/migrations/index.ts';
import { createUser, freshBrowser } from '../../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../../test-support/test-app.ts';

describe.each(testDatabases)('readiness and stopping (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('is ready on a migrated database; a stopping instance turns reads away but still serves writes', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/ready' })).json()).toEqual({ ready: true });
    const user = await createUser(t);
    const browser = await freshBrowser(t);

    t.app.ctx.lifecycle.stopping = true;
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/api/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ error: { code: 'unavailable' } });
      expect(ready.headers.connection).toBe('close');
      expect((await browser.call(session.getSession)).status).toBe(503);
      // A write the proxy has already sent here is answered: nginx could not send it again.
      const signedIn = await browser.call(session.signIn, { body: { username: user.username, password: user.password } });
      expect(signedIn.status).toBe(200);
    } finally {
      t.app.ctx.lifecycle.stopping = false;
    }
  });

  it('is not ready when the schema is behind the code', async () => {
    const latest = Object.keys(await migrationProvider.getMigrations()).at(-1)!;
    await sql`delete from kysely_migration where name = ${latest}`.execute(t.app.ctx.db);
    const ready = await t.app.inject({ method: 'GET', url: '/api/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ ready: false, reason: 'schema_behind' });
  });
});

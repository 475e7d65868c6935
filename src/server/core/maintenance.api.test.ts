import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phone, session } from '../../shared/api/index.ts';
import { sweepExpired } from './maintenance.ts';
import { createUser, freshBrowser, signIn } from '../test-support/flows.ts';
import { startTestApp, testDatabases, type TestApp } from '../test-support/test-app.ts';

describe.each(testDatabases)('sweeping expired rows (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('removes expired sessions and challenges, and keeps live ones', async () => {
    const user = await createUser(t, { withAuthenticator: true });
    const live = await signIn(t, user);
    await live.call(phone.startPhoneSetup, { body: { phoneKind: 'mobile', country: 'PL', number: '512 345 678', delivery: 'sms' } });
    await freshBrowser(t);
    const count = async () => ({
      sessions: (await t.app.ctx.db.selectFrom('sessions').select('id_hash').execute()).length,
      challenges: (await t.app.ctx.db.selectFrom('phone_challenges').select('id').execute()).length,
    });
    const before = await count();
    await sweepExpired(t.app.ctx);
    expect(await count()).toEqual(before);

    t.clock.advance(13 * 60 * 60);
    await sweepExpired(t.app.ctx);
    expect(await count()).toEqual({ sessions: 0, challenges: 0 });
    expect((await live.call(session.getSession)).body).toMatchObject({ state: { stage: 'anonymous' } });
  });
});

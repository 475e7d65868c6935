import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { defaultOrgPolicy } from '../../../shared/policy.ts';
import { ChangeFeed } from '../../core/storage/change-feed.ts';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../core/storage/db.ts';
import { createTestDatabase, testDatabases } from '../../test-support/test-app.ts';
import { LegacyCache, type LegacyAccount } from './legacy-cache.ts';

const log = { warn: () => undefined };
const empty: LegacyAccount = { user: undefined, verifiers: [] };

describe('LegacyCache', () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase('sqlite');
    drop = created.drop;
    handle = openDatabase({ sqlitePath: created.sqlitePath });
    await migrateToLatest(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    await drop();
  });

  it('loads a user name once, and again after the feed says something changed', async () => {
    const feed = new ChangeFeed({ db: handle.db, log });
    const cache = new LegacyCache(feed);
    let loads = 0;
    const load = async () => {
      loads += 1;
      return empty;
    };
    await Promise.all([cache.account('ola', load), cache.account('ola', load), cache.account('ola', load)]);
    await cache.account('ola', load);
    expect(loads).toBe(1);
    feed.invalidate();
    await cache.account('ola', load);
    expect(loads).toBe(2);
  });

  it('does not keep what was read while a change was heard of', async () => {
    const feed = new ChangeFeed({ db: handle.db, log });
    const cache = new LegacyCache(feed);
    let loads = 0;
    const load = async () => {
      loads += 1;
      if (loads === 1) feed.invalidate(); // a change commits while the first read runs
      return empty;
    };
    await cache.account('ola', load);
    expect(cache.size).toBe(0);
    await cache.account('ola', load);
    expect(cache.size).toBe(1);
    expect(loads).toBe(2);
    let policyLoads = 0;
    const policy = async () => {
      policyLoads += 1;
      if (policyLoads === 1) feed.invalidate();
      return defaultOrgPolicy;
    };
    await cache.policy(policy);
    await cache.policy(policy);
    await cache.policy(policy);
    expect(policyLoads).toBe(2);
  });
});

describe.each(testDatabases)('ChangeFeed (%s)', (kind) => {
  let one: DatabaseHandle;
  let two: DatabaseHandle;
  let drop: () => Promise<void>;
  const feeds: ChangeFeed[] = [];
  beforeAll(async () => {
    const created = await createTestDatabase(kind);
    drop = created.drop;
    one = openDatabase({ databaseUrl: created.url, sqlitePath: created.sqlitePath });
    await migrateToLatest(one.db);
    two = openDatabase({ databaseUrl: created.url, sqlitePath: created.sqlitePath });
  });
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((f) => f.stop()));
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await drop();
  });

  const started = async (handle: DatabaseHandle) => {
    const feed = new ChangeFeed({ db: handle.db, log });
    feeds.push(feed);
    feed.start();
    await feed.tick();
    return feed;
  };
  const policyRow = { id: 1, policy_json: JSON.stringify(defaultOrgPolicy), updated_at: 0 };

  it("hears of this process's own writes at once", async () => {
    const feed = await started(one);
    const before = feed.generation;
    await one.db
      .insertInto('org_policy')
      .values(policyRow)
      .onConflict((oc) => oc.column('id').doUpdateSet({ policy_json: policyRow.policy_json }))
      .execute();
    expect(feed.generation).toBeGreaterThan(before);
  });

  it("hears of another connection's change within 1 s, and not of an app password's last use", async () => {
    const feed = await started(one);
    await two.db.deleteFrom('org_policy').execute();
    const start = performance.now();
    const before = feed.generation;
    await two.db.insertInto('org_policy').values(policyRow).execute();
    while (feed.generation === before && performance.now() - start < 2_000) await new Promise((r) => setTimeout(r, 10));
    expect(performance.now() - start).toBeLessThan(1_000);

    // Writes the caches do not care about move nothing, in the database or here.
    const counter = async () => (await one.db.selectFrom('change_counter').select('version').executeTakeFirstOrThrow()).version;
    // PostgreSQL's NOTIFY of the insert may come after the counter told: let it arrive first.
    await new Promise((r) => setTimeout(r, 300));
    const version = await counter();
    const steady = feed.generation;
    await one.db.updateTable('users').set({ language: 'pl' }).execute();
    await two.db.updateTable('app_passwords').set({ last_used_at: 1 }).execute();
    await sql`select 1`.execute(two.db);
    await feed.tick();
    expect(await counter()).toBe(version);
    expect(feed.generation).toBe(steady);
  });
});

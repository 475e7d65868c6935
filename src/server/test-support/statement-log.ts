import { AsyncLocalStorage } from 'node:async_hooks';
import type { KyselyPlugin } from 'kysely';
import type { TestApp } from './test-app.ts';

/**
 * The statements the app sends through `ctx.db` while `during` runs, each as
 * its verb and table (`select sessions`, `update users`), in order: to hold a
 * request to the queries it needs. Each statement is recorded as Kysely
 * compiles it, on SQLite and PostgreSQL alike; a transaction's own begin and
 * commit are not statements Kysely compiles, so a test that forbids
 * transactions says so separately.
 *
 * Only what `during` causes counts: statements whose async context began inside
 * it. The app's own timers (the change feed, the legacy throttle hints, every
 * 250 ms) also query through `ctx.db`, and on a slow machine a sign-in's hash
 * lasts long enough for one of them to fire meanwhile.
 */
export async function statementsDuring(t: TestApp, during: () => Promise<unknown>): Promise<string[]> {
  const ctx = t.app.ctx;
  const original = ctx.db;
  const executor = original.getExecutor();
  const seen: string[] = [];
  const inside = new AsyncLocalStorage<true>();
  const recorder: KyselyPlugin = {
    transformQuery: ({ node, queryId }) => {
      if (inside.getStore()) seen.push(describe(executor.compileQuery(node, queryId).sql));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  ctx.db = original.withPlugin(recorder);
  try {
    await inside.run(true, during);
  } finally {
    ctx.db = original;
  }
  return seen;
}

function describe(sqlText: string): string {
  const verb = /^\s*(\w+)/.exec(sqlText)?.[1]?.toLowerCase() ?? '?';
  const table = /\b(?:from|into|update)\s+"([^"]+)"/i.exec(sqlText)?.[1] ?? '?';
  return `${verb} ${table}`;
}

import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../core/storage/db.ts';
import type { Database } from '../core/storage/schema.ts';

/** Per table: how many rows were inserted, updated or deleted since the counters were installed. */
export type ChangeCounts = Record<string, number>;

/**
 * A snapshot of the whole test database that costs one small query, however
 * big the tables grow: a row-level trigger on every table counts each
 * inserted, updated and deleted row in `fuzz_changes`. Two equal snapshots
 * mean no row changed in between (a write that was rolled back rolls its count
 * back too). Hashing every row instead made thousands of generated requests
 * quadratic. For test databases only: the app's migrations know nothing of it.
 */
export async function installChangeCounters(kind: DatabaseKind, db: Kysely<Database>): Promise<{ take(): Promise<ChangeCounts> }> {
  const tables =
    kind === 'postgres'
      ? (
          await sql<{
            name: string;
          }>`select tablename as name from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(db)
        ).rows
      : (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(db)
        ).rows;
  await sql`create table fuzz_changes (t varchar(128) primary key, n bigint not null)`.execute(db);
  if (kind === 'postgres') {
    await sql
      .raw(
        `create function fuzz_count() returns trigger language plpgsql as $$
         begin update fuzz_changes set n = n + 1 where t = TG_TABLE_NAME; return null; end $$`,
      )
      .execute(db);
  }
  for (const { name } of tables) {
    await sql`insert into fuzz_changes (t, n) values (${name}, 0)`.execute(db);
    if (kind === 'postgres') {
      await sql
        .raw(`create trigger "fuzz_count_${name}" after insert or update or delete on "${name}" for each row execute function fuzz_count()`)
        .execute(db);
    } else {
      for (const event of ['insert', 'update', 'delete']) {
        await sql
          .raw(
            `create trigger "fuzz_${event}_${name}" after ${event} on "${name}" for each row
             begin update fuzz_changes set n = n + 1 where t = '${name}'; end`,
          )
          .execute(db);
      }
    }
  }
  return {
    take: async () =>
      Object.fromEntries(
        (await sql<{ t: string; n: number | string }>`select t, n from fuzz_changes`.execute(db)).rows.map((r) => [r.t, Number(r.n)]),
      ),
  };
}

/** The tables whose rows changed between two snapshots. */
export function changedTables(before: ChangeCounts, after: ChangeCounts): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../core/storage/db.ts';
import type { Database } from '../core/storage/schema.ts';

/** Per table: how many rows, and an order-independent sum of row hashes. Two equal fingerprints: no row was added, removed or changed. */
export type Fingerprint = Record<string, string>;

/**
 * Fingerprints every table of a test database in one statement, cheaply
 * enough to take around each of thousands of generated requests.
 * PostgreSQL hashes each row's text form (`hashtext(t::text)`); SQLite, which
 * has no hash function, gets one registered on a read-only connection of its own.
 */
export async function openFingerprinter(
  kind: DatabaseKind,
  db: Kysely<Database>,
  sqlitePath: string,
): Promise<{ take(): Promise<Fingerprint>; close(): void }> {
  if (kind === 'postgres') {
    const tables = await sql<{
      tablename: string;
    }>`select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(db);
    const statement = tables.rows
      .map(
        (t) =>
          `select '${t.tablename}' as t, count(*)::text || ':' || coalesce(sum(hashtext(x::text)::bigint), 0)::text as f from "${t.tablename}" x`,
      )
      .join(' union all ');
    return {
      take: async () => Object.fromEntries((await sql.raw<{ t: string; f: string }>(statement).execute(db)).rows.map((r) => [r.t, r.f])),
      close: () => undefined,
    };
  }
  const reader = new SQLite(sqlitePath, { readonly: true });
  reader.function('row_hash', { deterministic: true }, (text: unknown) => createHash('sha1').update(String(text)).digest().readUInt32BE(0));
  const tables = reader
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`)
    .pluck()
    .all() as string[];
  const statement = tables
    .map((table) => {
      const columns = reader.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[];
      const row = columns.map((c) => `quote("${c}")`).join(` || '|' || `);
      return `select '${table}' as t, count(*) || ':' || coalesce(sum(row_hash(${row})), 0) as f from "${table}"`;
    })
    .join(' union all ');
  const prepared = reader.prepare(statement);
  return {
    take: async () => Object.fromEntries((prepared.all() as Array<{ t: string; f: string }>).map((r) => [r.t, r.f])),
    close: () => reader.close(),
  };
}

/** The tables whose rows differ between two fingerprints. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

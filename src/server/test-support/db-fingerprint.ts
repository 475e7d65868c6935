import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind } from '../core/storage/db.ts';
import type { Database } from '../core/storage/schema.ts';

/** Per table: a string that changes when a row is added, removed or changed. */
export type Fingerprint = Record<string, string>;

/**
 * Tables that only grow with every refused attempt (the verification log,
 * throttle counters, rate events): hashing every row of them around every one
 * of thousands of requests would make the fuzz tests quadratic. Their rows are
 * appended, or (counters) updated with a new failure time, so the row count and
 * the sums of their numeric columns show any change.
 */
const growingTables = new Set(['verification_log', 'throttle_counters', 'rate_events']);

interface Column {
  name: string;
  numeric: boolean;
}

function tableExpression(table: string, columns: Column[], rowHash: string): string {
  if (growingTables.has(table)) {
    const sums = columns.filter((c) => c.numeric).map((c) => `coalesce(sum("${c.name}"), 0)`);
    return `count(*)${sums.map((s) => ` || ':' || ${s}`).join('')}`;
  }
  return `count(*) || ':' || ${rowHash}`;
}

/**
 * Fingerprints every table of a test database in one statement, cheaply
 * enough to take around each of thousands of generated requests. Rows are
 * hashed in the database: PostgreSQL's `hashtext` over a row's text form;
 * SQLite, which has no hash function, gets one on a read-only connection of
 * its own, whose `data_version` also says when nobody has written since the
 * last fingerprint (then the last one is still right).
 */
export async function openFingerprinter(
  kind: DatabaseKind,
  db: Kysely<Database>,
  sqlitePath: string,
): Promise<{ take(): Promise<Fingerprint>; close(): void }> {
  if (kind === 'postgres') {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' and table_name not like 'kysely_%' order by table_name, ordinal_position`.execute(db);
    const tables = new Map<string, Column[]>();
    for (const c of columns.rows) {
      const list = tables.get(c.table_name) ?? [];
      list.push({ name: c.column_name, numeric: ['integer', 'bigint', 'smallint'].includes(c.data_type) });
      tables.set(c.table_name, list);
    }
    const statement = [...tables]
      .map(
        ([table, cols]) =>
          `select '${table}' as t, ${tableExpression(table, cols, 'coalesce(sum(hashtext(x::text)::bigint), 0)')}::text as f from "${table}" x`,
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
      const info = reader.prepare(`select name, type from pragma_table_info(?)`).all(table) as Array<{ name: string; type: string }>;
      const cols = info.map((c) => ({ name: c.name, numeric: /int/i.test(c.type) }));
      const row = cols.map((c) => `quote("${c.name}")`).join(` || '|' || `);
      return `select '${table}' as t, ${tableExpression(table, cols, `coalesce(sum(row_hash(${row})), 0)`)} as f from "${table}"`;
    })
    .join(' union all ');
  const prepared = reader.prepare(statement);
  const dataVersion = reader.prepare('pragma data_version').pluck();
  let last: { version: unknown; fingerprint: Fingerprint } | undefined;
  return {
    take: async () => {
      const version = dataVersion.get();
      if (last && last.version === version) return last.fingerprint;
      const fingerprint = Object.fromEntries((prepared.all() as Array<{ t: string; f: string }>).map((r) => [r.t, String(r.f)]));
      last = { version, fingerprint };
      return fingerprint;
    },
    close: () => reader.close(),
  };
}

/** The tables whose rows differ between two fingerprints. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}

import { PostgresAdapter, sql, type Expression, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { LogCursor, LogFilter } from '../../shared/api/admin-log.ts';
import type { ServerContext } from '../core/context.ts';
import type { Database, VerificationLogTable } from '../core/storage/schema.ts';

export type LogRow = Selectable<VerificationLogTable>;

type LogQuery = SelectQueryBuilder<Database, 'verification_log', LogRow>;

/**
 * The range of strings that start with `prefix` under a bytewise order:
 * [prefix, prefix with its last character moved one code point up).
 */
export function prefixRange(prefix: string): { from: string; before: string } {
  const chars = Array.from(prefix);
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate block, which holds no characters of its own.
      chars.push(String.fromCodePoint(last + 1 === 0xd800 ? 0xe000 : last + 1));
      return { from: prefix, before: chars.join('') };
    }
  }
  return { from: prefix, before: '\u{10FFFF}'.repeat(prefix.length + 1) };
}

/**
 * User names compared bytewise, as the migration indexes them: PostgreSQL's
 * default collation may follow a language, where a prefix is not a range.
 */
function usernameColumn(ctx: Pick<ServerContext, 'db'>): Expression<string> {
  return ctx.db.getExecutor().adapter instanceof PostgresAdapter ? sql<string>`username collate "C"` : sql<string>`username`;
}

function filtered(ctx: Pick<ServerContext, 'db'>, filter: LogFilter): LogQuery {
  let query: LogQuery = ctx.db.selectFrom('verification_log').selectAll();
  if (filter.user !== undefined) {
    const username = usernameColumn(ctx);
    if (filter.userMatch === 'prefix') {
      const range = prefixRange(filter.user);
      query = query.where(username, '>=', range.from).where(username, '<', range.before);
    } else {
      query = query.where(username, '=', filter.user);
    }
  }
  if (filter.method !== undefined) query = query.where('auth_mode', '=', filter.method);
  if (filter.result !== undefined) query = query.where('result', '=', filter.result);
  if (filter.denialReason !== undefined) query = query.where('denial_reason', '=', filter.denialReason);
  if (filter.clientIp !== undefined) query = query.where('client_ip', '=', filter.clientIp);
  if (filter.from !== undefined) query = query.where('at', '>=', Date.parse(filter.from));
  if (filter.to !== undefined) query = query.where('at', '<=', Date.parse(filter.to));
  return query;
}

/** The query for a page from the cursor on, unexecuted: the benchmark shows its plan. */
export function logPageQuery(ctx: Pick<ServerContext, 'db'>, filter: LogFilter, cursor: LogCursor | undefined, limit: number): LogQuery {
  let query = filtered(ctx, filter);
  const newer = cursor?.direction === 'newer';
  if (cursor) {
    // `(at, id)` past the cursor, written out rather than as a row comparison: PostgreSQL does
    // not merge a row comparison with a time range's bounds on `at`, and would start the scan at
    // the cursor even when the range ends far before it. Only the records sharing the cursor's
    // timestamp are left to the `id` test.
    const [past, pastOrAt] = newer ? (['>', '>='] as const) : (['<', '<='] as const);
    query = query.where('at', pastOrAt, cursor.at).where((eb) => eb.or([eb('at', past, cursor.at), eb('id', past, cursor.id)]));
  }
  const order = newer ? 'asc' : 'desc';
  return query.orderBy('at', order).orderBy('id', order).limit(limit);
}

/**
 * Up to `limit` records from the cursor on, newest first. Keyset, not OFFSET:
 * `(at, id)` past the cursor's record, so a page costs the same at any depth
 * and records sharing a timestamp are neither skipped nor repeated.
 */
export async function logRecordsFrom(
  ctx: Pick<ServerContext, 'db'>,
  filter: LogFilter,
  cursor: LogCursor | undefined,
  limit: number,
): Promise<LogRow[]> {
  const rows = await logPageQuery(ctx, filter, cursor, limit).execute();
  return cursor?.direction === 'newer' ? rows.reverse() : rows;
}

/**
 * Every matching record, newest first, a keyset page at a time, so memory
 * stays that of one page however long the log is. Stops before the next
 * query once `signal` is aborted (the client went away).
 */
export async function* logRecordPages(
  ctx: Pick<ServerContext, 'db'>,
  filter: LogFilter,
  pageSize: number,
  signal: AbortSignal,
): AsyncGenerator<LogRow[]> {
  let cursor: LogCursor | undefined;
  while (!signal.aborted) {
    const rows = await logRecordsFrom(ctx, filter, cursor, pageSize);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    cursor = { at: last.at, id: last.id, direction: 'older' };
  }
}

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

const isPostgres = (ctx: Pick<ServerContext, 'db'>) => ctx.db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * How a user-name prefix page is read. Either by name: the prefix's range of the user-name index,
 * every match sorted by time, cheap when the prefix matches few records; or by time: the log
 * newest first, each record's name tested, cheap when it matches many. SQLite's planner guesses
 * the share a prefix matches badly (it read a 7% prefix by name, sorting 350,000 records), so
 * on SQLite the store counts the matches first (countPrefixMatches) and says which; PostgreSQL's
 * statistics estimate a range well, and its planner is left to choose ('planner').
 */
export type PrefixPlan = 'planner' | 'by-name' | 'by-time';

/**
 * Up to this many matches a prefix is read by name, sorting at most this many records; past it,
 * by time, which then tests about page × records ÷ matches records to fill a page: fewer than
 * this many at the 5,000,000 records of the benchmark, each in the time index alone on SQLite
 * (migration 014).
 */
export const PREFIX_BY_NAME_MAX = 16_000;

/**
 * User names compared bytewise, as the migration indexes them: PostgreSQL's default collation
 * may follow a language, where a prefix is not a range. On SQLite, `+username` is the same
 * value that no index may serve: it makes a prefix page be read by time.
 */
function usernameColumn(ctx: Pick<ServerContext, 'db'>, plan: PrefixPlan): Expression<string> {
  if (isPostgres(ctx)) return sql<string>`username collate "C"`;
  return plan === 'by-time' ? sql<string>`+username` : sql<string>`username`;
}

function filtered<O>(
  ctx: Pick<ServerContext, 'db'>,
  query: SelectQueryBuilder<Database, 'verification_log', O>,
  filter: LogFilter,
  plan: PrefixPlan,
): SelectQueryBuilder<Database, 'verification_log', O> {
  if (filter.user !== undefined) {
    if (filter.userMatch === 'prefix') {
      const username = usernameColumn(ctx, plan);
      const range = prefixRange(filter.user);
      query = query.where(username, '>=', range.from).where(username, '<', range.before);
    } else {
      query = query.where(usernameColumn(ctx, 'planner'), '=', filter.user);
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

/** Only the records past the cursor. */
function pastCursor<O>(
  query: SelectQueryBuilder<Database, 'verification_log', O>,
  cursor: LogCursor | undefined,
): SelectQueryBuilder<Database, 'verification_log', O> {
  if (!cursor) return query;
  // `(at, id)` past the cursor, written out rather than as a row comparison: PostgreSQL does
  // not merge a row comparison with a time range's bounds on `at`, and would start the scan at
  // the cursor even when the range ends far before it. Only the records sharing the cursor's
  // timestamp are left to the `id` test.
  const [past, pastOrAt] = cursor.direction === 'newer' ? (['>', '>='] as const) : (['<', '<='] as const);
  return query.where('at', pastOrAt, cursor.at).where((eb) => eb.or([eb('at', past, cursor.at), eb('id', past, cursor.id)]));
}

/**
 * How many records a user-name prefix matches, counting no further than `max`: a range of the
 * user-name index alone, at most `max` entries. Neither the cursor nor the time filter is in it:
 * with either, the range would be read past every match they exclude, as far as the whole range.
 */
export function countPrefixQuery(ctx: Pick<ServerContext, 'db'>, prefix: string, max: number) {
  const matches = filtered(ctx, ctx.db.selectFrom('verification_log').select('id'), { user: prefix, userMatch: 'prefix' }, 'by-name');
  return ctx.db.selectFrom(matches.limit(max).as('m')).select((eb) => eb.fn.countAll<number>().as('n'));
}

/** The count of countPrefixQuery. */
export async function countPrefixMatches(ctx: Pick<ServerContext, 'db'>, prefix: string, max: number): Promise<number> {
  const { n } = await countPrefixQuery(ctx, prefix, max).executeTakeFirstOrThrow();
  return Number(n);
}

/**
 * Which way to read a page, see PrefixPlan. By the prefix's share of the whole log, the same for
 * every page: deep in the log, or in a time range, the records around are as likely to match.
 */
export async function prefixPlanFor(
  ctx: Pick<ServerContext, 'db'>,
  filter: LogFilter,
  byNameMax = PREFIX_BY_NAME_MAX,
): Promise<PrefixPlan> {
  if (filter.user === undefined || filter.userMatch !== 'prefix' || isPostgres(ctx)) return 'planner';
  return (await countPrefixMatches(ctx, filter.user, byNameMax)) < byNameMax ? 'by-name' : 'by-time';
}

/**
 * The query for a page from the cursor on, unexecuted: the benchmark shows its plan. `by-name`
 * orders by `+at, +id` on SQLite, the same order that no index may give, so the planner takes
 * the user-name range and sorts its matches rather than walking the whole log by time.
 */
export function logPageQuery(
  ctx: Pick<ServerContext, 'db'>,
  filter: LogFilter,
  cursor: LogCursor | undefined,
  limit: number,
  plan: PrefixPlan = 'planner',
): LogQuery {
  const query = pastCursor(filtered(ctx, ctx.db.selectFrom('verification_log').selectAll(), filter, plan), cursor);
  const order = cursor?.direction === 'newer' ? 'asc' : 'desc';
  const [at, id] = plan === 'by-name' && !isPostgres(ctx) ? [sql`+at`, sql`+id`] : [sql.ref('at'), sql.ref('id')];
  return query.orderBy(at, order).orderBy(id, order).limit(limit);
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
  byNameMax = PREFIX_BY_NAME_MAX,
): Promise<LogRow[]> {
  const plan = await prefixPlanFor(ctx, filter, byNameMax);
  const rows = await logPageQuery(ctx, filter, cursor, limit, plan).execute();
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

import { PostgresAdapter, sql, type SelectQueryBuilder } from 'kysely';
import type { ServerContext } from '../core/context.ts';
import { searchableUserColumns } from '../core/storage/migrations/008-admin-console.ts';
import type { Database } from '../core/storage/schema.ts';
import type { UserRow } from '../core/users/users.ts';

/** The queries behind the admin area's user pages and actions. */

/** The smallest string above every string that starts with `prefix`, in code-point (byte) order. */
export function prefixUpperBound(prefix: string): string {
  const points = [...prefix];
  const last = points.pop()!;
  return points.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

export interface UserPage {
  users: UserRow[];
  next: string | null;
  previous: string | null;
}

interface UserSearch {
  q: string;
  after?: string | undefined;
  before?: string | undefined;
  limit: number;
}

/**
 * The query behind searchUsersByPrefix, unexecuted: the benchmark shows its plan.
 *
 * A user matches when lower(column) of any searchable column starts with the (lower-cased)
 * prefix, written as a range so the prefix indexes serve it (PostgreSQL compares in byte order,
 * "C", like those indexes; SQLite's lower() folds ASCII letters only, so there a capital Ł
 * matches only itself). Not as one OR: a planner reads that in user-name order, testing every
 * user from the start of the list until a page is full. Instead each column gives its own first
 * page, by user name past the keyset, from its prefix index alone (migration 013), and the page
 * is the first of those ids: the union holds every user of the page, since a user on it is among
 * the first of whichever column it matched by.
 */
export function userSearchQuery(ctx: ServerContext, search: UserSearch) {
  const postgres = ctx.db.getExecutor().adapter instanceof PostgresAdapter;
  const order = search.before !== undefined ? 'desc' : 'asc';
  const pastKeyset = <Q extends SelectQueryBuilder<Database, 'users', object>>(query: Q): Q => {
    let q = query;
    if (search.after !== undefined) q = q.where('username', '>', search.after) as Q;
    if (search.before !== undefined) q = q.where('username', '<', search.before) as Q;
    return q;
  };
  let query = pastKeyset(ctx.db.selectFrom('users').selectAll())
    .orderBy('username', order)
    .limit(search.limit + 1);
  if (search.q) {
    const low = search.q.toLowerCase();
    const high = prefixUpperBound(low);
    // Ordered by `username || ''`, the same order that no index gives: otherwise a planner may walk
    // the user-name index expecting matches spread through it, while names that start with the
    // prefix (and first names and e-mails, which often start names) sit together in one place of it.
    // PostgreSQL did, reading 93,000 users for "zoë"; sorting the matches is bounded by their number.
    const sortedNotWalked = sql<string>`${sql.ref('username')} || ''`;
    const firstPages = searchableUserColumns.map((column) => {
      const folded = postgres ? sql<string>`lower(${sql.ref(column)}) collate "C"` : sql<string>`lower(${sql.ref(column)})`;
      const firstPage = pastKeyset(ctx.db.selectFrom('users').select(['id', 'username']))
        .where(folded, '>=', low)
        .where(folded, '<', high)
        .orderBy(sortedNotWalked, order)
        .limit(search.limit + 1);
      // A derived table each: SQLite takes no ORDER BY or LIMIT on the members of a UNION.
      return ctx.db.selectFrom(firstPage.as('first_page')).select('first_page.id');
    });
    const [head, ...rest] = firstPages;
    query = query.where(
      'id',
      'in',
      rest.reduce((union, next) => union.unionAll(next), head!),
    );
  }
  return query;
}

/** A page of users matching the prefix, ordered by user name, after or before a user name (keyset paging). */
export async function searchUsersByPrefix(ctx: ServerContext, search: UserSearch): Promise<UserPage> {
  const backwards = search.before !== undefined;
  const query = userSearchQuery(ctx, search);
  const rows = await query.execute();
  const more = rows.length > search.limit;
  const users = rows.slice(0, search.limit);
  if (backwards) users.reverse();
  const first = users[0]?.username ?? null;
  const last = users.at(-1)?.username ?? null;
  return {
    users,
    next: backwards ? last : more ? last : null,
    previous: backwards ? (more ? first : null) : search.after !== undefined ? first : null,
  };
}

// The account's throttle rows live with the core, which clears them after a password reset too.
export { clearThrottleRowsOf, throttleRowsOf } from '../core/auth/account-throttles.ts';

export async function countLiveSessionsOf(ctx: ServerContext, userId: string): Promise<number> {
  const { n } = await ctx.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('expires_at', '>', ctx.clock.now())
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function deleteSessionsOf(ctx: ServerContext, userId: string): Promise<number> {
  const result = await ctx.db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The user must choose a new password at their next sign-in; a new password, changed or reset, clears it. */
export async function requirePasswordChange(ctx: ServerContext, userId: string, at: number): Promise<void> {
  await ctx.db.updateTable('users').set({ password_change_required_at: at }).where('id', '=', userId).execute();
}

/** Marks the user for registration: methods added up to `at` go once they have verified (or have already gone). */
export async function markForReregistration(ctx: ServerContext, userId: string, at: number): Promise<void> {
  await ctx.db
    .updateTable('users')
    .set({ reregister_reason: 'admin_reset', reregister_requested_at: at })
    .where('id', '=', userId)
    .execute();
}

export async function countAppPasswordsOf(ctx: ServerContext, userId: string): Promise<number> {
  const { n } = await ctx.db
    .selectFrom('app_passwords')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

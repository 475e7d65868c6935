import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { ServerContext } from '../context.ts';
import type { Database } from '../storage/schema.ts';
import type { UserRow } from '../users/users.ts';

/** The keys under which `core/auth/password-throttle.ts`, the legacy sign-in, authenticator codes and recovery codes count this user's failures. */
function throttleKeysOf(eb: ExpressionBuilder<Database, 'throttle_counters'>, user: Pick<UserRow, 'id' | 'username'>) {
  const name = user.username.toLowerCase();
  const escaped = name.replace(/[\\%_]/g, (c) => `\\${c}`);
  const perIp = (prefix: string) => sql<SqlBool>`${sql.ref('key')} like ${`${prefix}:acct-ip:${escaped}|%`} escape '\\'`;
  return eb.or([
    eb('key', 'in', [`pw:acct:${name}`, `legacy:acct:${name}`, `totp:${user.id}`, `recovery:${user.id}`]),
    perIp('pw'),
    perIp('legacy'),
  ]);
}

export async function throttleRowsOf(ctx: ServerContext, user: Pick<UserRow, 'id' | 'username'>) {
  return ctx.db
    .selectFrom('throttle_counters')
    .selectAll()
    .where((eb) => throttleKeysOf(eb, user))
    .orderBy('last_failure_at', 'desc')
    .execute();
}

export async function clearThrottleRowsOf(ctx: ServerContext, user: Pick<UserRow, 'id' | 'username'>): Promise<number> {
  const result = await ctx.db
    .deleteFrom('throttle_counters')
    .where((eb) => throttleKeysOf(eb, user))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

import type { AppPasswordList } from '../../../shared/api/app-passwords.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import type { ServerContext } from '../../core/context.ts';
import { ApiError } from '../../core/api-error.ts';
import type { TransactionContext } from '../../core/transaction.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function listAppPasswordsOf(ctx: ServerContext, userId: string, policy: OrgPolicy): Promise<AppPasswordList> {
  const rows = await ctx.db
    .selectFrom('app_passwords')
    .select(['id', 'name', 'created_at', 'last_used_at', 'last_used_ip'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
  return {
    allowed: policy.appPasswords.allowed,
    max: policy.appPasswords.maxPerUser,
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: new Date(r.created_at).toISOString(),
      lastUsedAt: iso(r.last_used_at),
      lastUsedIp: r.last_used_ip,
    })),
  };
}

/** Deletes every app password of a user; returns how many there were. */
export async function deleteAllAppPasswordsOf(ctx: ServerContext, userId: string): Promise<number> {
  const result = await ctx.db.deleteFrom('app_passwords').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Stores a new app password's keyed hash unless the user already has as many as the policy allows.
 * Called inside the change's transaction, so the count and the insert go together.
 */
export async function insertAppPasswordWithin(
  tx: TransactionContext,
  limit: number,
  row: { id: string; userId: string; name: string; hash: string; createdAt: number },
): Promise<void> {
  const { n } = await tx.db
    .selectFrom('app_passwords')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', row.userId)
    .executeTakeFirstOrThrow();
  if (Number(n) >= limit) throw new ApiError(409, 'app_password_limit_reached');
  await tx.db
    .insertInto('app_passwords')
    .values({
      id: row.id,
      user_id: row.userId,
      name: row.name,
      hash: row.hash,
      created_at: row.createdAt,
      last_used_at: null,
      last_used_ip: null,
    })
    .execute();
}

/** Deletes one of the user's app passwords; its name for the log and notice, or undefined when there is none. */
export async function deleteAppPasswordOf(
  ctx: ServerContext,
  userId: string,
  id: string,
): Promise<{ id: string; name: string } | undefined> {
  const row = await ctx.db
    .selectFrom('app_passwords')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (row) await ctx.db.deleteFrom('app_passwords').where('id', '=', row.id).execute();
  return row;
}

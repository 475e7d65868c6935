import type { AppPasswordList } from '../../../shared/api/app-passwords.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import type { ServerContext } from '../../context.ts';

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

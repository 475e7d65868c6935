import { defaultOrgPolicy, orgPolicySchema, type OrgPolicy } from '../../../shared/policy.ts';
import type { ServerContext } from '../context.ts';

/** Read on each use (one small row) so every instance applies an admin's change at once. */
export async function getPolicy(ctx: ServerContext): Promise<OrgPolicy> {
  const row = await ctx.db.selectFrom('org_policy').select('policy_json').where('id', '=', 1).executeTakeFirst();
  if (!row) return defaultOrgPolicy;
  const parsed = orgPolicySchema.safeParse(JSON.parse(row.policy_json));
  if (!parsed.success) {
    ctx.log.error('Stored organisation policy is invalid; using defaults');
    return defaultOrgPolicy;
  }
  return parsed.data;
}

export async function savePolicy(ctx: ServerContext, policy: OrgPolicy): Promise<void> {
  const values = { id: 1, policy_json: JSON.stringify(orgPolicySchema.parse(policy)), updated_at: ctx.clock.now() };
  await ctx.db
    .insertInto('org_policy')
    .values(values)
    .onConflict((oc) => oc.column('id').doUpdateSet({ policy_json: values.policy_json, updated_at: values.updated_at }))
    .execute();
}

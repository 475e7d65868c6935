import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { PolicyPreview, PolicySwitch } from '../../shared/api/admin.ts';
import type { PhoneKind } from '../../shared/api/common.ts';
import { methodKinds, type OrgPolicy } from '../../shared/policy.ts';
import type { ServerContext } from '../core/context.ts';
import type { Database } from '../core/storage/schema.ts';

/**
 * What a proposed policy turns off and whom it leaves without a way to sign in, counted in SQL
 * (one aggregate per question), never by loading users. A phone is usable while phones are on and
 * it can still get a code: a mobile by text or by call, an alternate or office phone only by call
 * and only while that kind of phone is allowed.
 */

type MethodScope = ExpressionBuilder<Database & { m: Database['methods'] }, 'm'>;
const never = sql<SqlBool>`1 = 0`;

function usablePhoneKinds(policy: OrgPolicy): PhoneKind[] {
  if (!policy.enabledMethods.phone) return [];
  const { sms, voice, alternate, office } = policy.phoneOptions;
  const kinds: PhoneKind[] = [];
  if (sms || voice) kinds.push('mobile');
  if (voice && alternate) kinds.push('alternate');
  if (voice && office) kinds.push('office');
  return kinds;
}

function phoneOfKind(eb: MethodScope, kinds: readonly PhoneKind[]): Expression<SqlBool> {
  if (kinds.length === 0) return never;
  return eb.and([
    eb('m.kind', '=', 'phone'),
    eb.exists(eb.selectFrom('phones as p').select('p.method_id').whereRef('p.method_id', '=', 'm.id').where('p.phone_kind', 'in', kinds)),
  ]);
}

/** Method `m` can still prove its owner under the policy. */
function usableUnder(policy: OrgPolicy) {
  return (eb: MethodScope): Expression<SqlBool> => {
    const plain = methodKinds.filter((k) => k !== 'phone' && policy.enabledMethods[k]);
    const either: Expression<SqlBool>[] = [phoneOfKind(eb, usablePhoneKinds(policy))];
    if (plain.length > 0) either.push(eb('m.kind', 'in', plain));
    return eb.or(either);
  };
}

/** Method `m` is one the switch governs. */
function governedBy(target: PolicySwitch) {
  return (eb: MethodScope): Expression<SqlBool> => {
    switch (target) {
      case 'phone.sms':
        return phoneOfKind(eb, ['mobile']);
      case 'phone.voice':
        return eb('m.kind', '=', 'phone');
      case 'phone.alternate':
        return phoneOfKind(eb, ['alternate']);
      case 'phone.office':
        return phoneOfKind(eb, ['office']);
      default:
        return eb('m.kind', '=', target);
    }
  };
}

type DefaultScope = ExpressionBuilder<Database & { u: Database['users'] }, 'u'>;

/** The user's default goes through what the switch governs: a phone default texted (or either way) for SMS, called (or either way) for voice. */
function defaultUses(target: PolicySwitch) {
  return (eb: DefaultScope): Expression<SqlBool> => {
    const delivery = target === 'phone.sms' ? 'sms' : target === 'phone.voice' ? 'voice' : null;
    return delivery ? eb.or([eb('u.default_delivery', 'is', null), eb('u.default_delivery', '=', delivery)]) : sql<SqlBool>`1 = 1`;
  };
}

/** The switches that are on in `current` and off in `proposed`. */
export function switchesTurnedOff(current: OrgPolicy, proposed: OrgPolicy): PolicySwitch[] {
  const kinds = methodKinds.filter((k) => current.enabledMethods[k] && !proposed.enabledMethods[k]);
  const options = (['sms', 'voice', 'alternate', 'office'] as const).filter((o) => current.phoneOptions[o] && !proposed.phoneOptions[o]);
  return [...kinds, ...options.map((o) => `phone.${o}` as const)];
}

/** Users with a usable method under `current` and none under `proposed`; optionally only those with a method the switch governs, or one user. */
function strandedUsers(ctx: ServerContext, current: OrgPolicy, proposed: OrgPolicy, only: { target?: PolicySwitch; userId?: string } = {}) {
  let query = ctx.db
    .selectFrom('users as u')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.exists(eb.selectFrom('methods as m').select('m.id').whereRef('m.user_id', '=', 'u.id').where(usableUnder(current))))
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('methods as m').select('m.id').whereRef('m.user_id', '=', 'u.id').where(usableUnder(proposed)))),
    );
  if (only.target) {
    const target = only.target;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('methods as m').select('m.id').whereRef('m.user_id', '=', 'u.id').where(governedBy(target))),
    );
  }
  if (only.userId) query = query.where('u.id', '=', only.userId);
  return query;
}

async function countOf(query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Whether the proposed policy takes away the last usable method this user has now. */
export async function wouldStrand(ctx: ServerContext, userId: string, current: OrgPolicy, proposed: OrgPolicy): Promise<boolean> {
  return (await countOf(strandedUsers(ctx, current, proposed, { userId }))) > 0;
}

export async function previewPolicyChange(
  ctx: ServerContext,
  adminId: string,
  current: OrgPolicy,
  proposed: OrgPolicy,
): Promise<PolicyPreview> {
  const turnedOff = await Promise.all(
    switchesTurnedOff(current, proposed).map(async (target) => ({
      switch: target,
      defaultUsers: await countOf(
        ctx.db
          .selectFrom('users as u')
          .innerJoin('methods as m', 'm.id', 'u.default_method_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(governedBy(target))
          .where(defaultUses(target)),
      ),
      users: await countOf(
        ctx.db
          .selectFrom('users as u')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where((eb) =>
            eb.exists(eb.selectFrom('methods as m').select('m.id').whereRef('m.user_id', '=', 'u.id').where(governedBy(target))),
          ),
      ),
      leftWithoutMethod: await countOf(strandedUsers(ctx, current, proposed, { target })),
    })),
  );
  return {
    turnedOff,
    leftWithoutMethod: turnedOff.length === 0 ? 0 : await countOf(strandedUsers(ctx, current, proposed)),
    locksOutYou: turnedOff.length === 0 ? false : await wouldStrand(ctx, adminId, current, proposed),
  };
}

import type { Nudge, NudgeOffer } from '../../../shared/api/stronger-methods.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import type { ServerContext } from '../context.ts';
import type { StrongerMethodNudgesTable } from '../storage/schema.ts';

/*
 * The invitation to add a stronger method (docs/reference.md#stronger-methods-first): shown
 * after sign-in to a user whose only usable methods are phones, put off 14 days at a time, at
 * most 3 times; the third time ends it. The administrator can turn it off.
 */

export const NUDGE_SNOOZE_MS = 14 * 24 * 60 * 60 * 1000;
export const NUDGE_MAX_SNOOZES = 3;

/** Stronger first: a passkey, then an authenticator app. */
const offered: readonly NudgeOffer[] = ['webauthn', 'authenticator'];

type NudgeRecord = Pick<StrongerMethodNudgesTable, 'snooze_count' | 'snoozed_until'>;

/** Whether to show the invitation now, from the user's security info, the policy and what was put off. */
export function nudgeFor(info: SecurityInfo, policy: OrgPolicy, record: NudgeRecord | undefined, now: number): Nudge {
  const usable = info.methods.filter((m) => !m.turnedOff);
  const onlyPhones = usable.length > 0 && usable.every((m) => m.kind === 'phone');
  const offers = offered.filter((kind) => info.canAdd.some((c) => c.kind === kind && !c.turnedOff && c.remaining > 0));
  const snoozes = record?.snooze_count ?? 0;
  const snoozed = record?.snoozed_until !== null && record?.snoozed_until !== undefined && record.snoozed_until > now;
  if (!policy.strongerMethods.nudge || !onlyPhones || offers.length === 0 || snoozes >= NUDGE_MAX_SNOOZES || snoozed) {
    return { show: false };
  }
  return { show: true, offers, lastReminder: snoozes === NUDGE_MAX_SNOOZES - 1 };
}

export async function nudgeRecord(ctx: ServerContext, userId: string): Promise<NudgeRecord | undefined> {
  return ctx.db
    .selectFrom('stronger_method_nudges')
    .select(['snooze_count', 'snoozed_until'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** One more snooze, from now; counted in one statement, so two tabs putting it off at once count twice, never lose one. */
export async function recordSnooze(ctx: ServerContext, userId: string, now: number): Promise<void> {
  const until = now + NUDGE_SNOOZE_MS;
  await ctx.db
    .insertInto('stronger_method_nudges')
    .values({ user_id: userId, snooze_count: 1, snoozed_until: until })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({ snooze_count: eb('stronger_method_nudges.snooze_count', '+', 1), snoozed_until: until })),
    )
    .execute();
}

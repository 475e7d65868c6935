import type { PhoneDelivery } from '../../../shared/api/common.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import type { ServerContext } from '../context.ts';
import type { UserRow } from '../users/users.ts';
import type { MethodDetail } from './method-kind.ts';
import type { MethodRow } from './method-store.ts';

/**
 * The default sign-in method is a method and, where the method offers a
 * choice (a phone: text or call), how its code arrives (docs/reference.md#default-method).
 */

/** Whether a default naming `delivery` can still be reached that way; one naming none needs only its method. */
export function defaultDeliveryAllowed(delivery: PhoneDelivery | null, deliveries: readonly PhoneDelivery[] | undefined): boolean {
  return delivery === null || (deliveries?.includes(delivery) ?? false);
}

/** The detail of one method as its owner sees it, which carries the deliveries the policy allows. */
export async function detailOf(ctx: ServerContext, method: MethodRow, policy: OrgPolicy): Promise<MethodDetail | undefined> {
  return (await ctx.kinds.get(method.kind)?.describe?.(ctx, [method], 'owner', policy))?.get(method.id);
}

/** The user has a default they can sign in with: its method is usable, and so is the delivery it names. */
export async function hasUsableDefault(ctx: ServerContext, user: UserRow, usable: MethodRow[], policy: OrgPolicy): Promise<boolean> {
  const method = usable.find((m) => m.id === user.default_method_id);
  if (!method) return false;
  if (user.default_delivery === null) return true;
  return defaultDeliveryAllowed(user.default_delivery, (await detailOf(ctx, method, policy))?.deliveries);
}

import { allowedDeliveries, phoneKinds } from '../../../shared/api/phone.ts';
import type { MethodKindModule } from '../../core/security-info/method-kind.ts';
import { formatPhoneNumber, maskPhoneNumber } from './phone-number.ts';
import { numberOf, phonesByMethod, sweepExpiredChallenges } from './store.ts';
import { phoneRoutes } from './routes.ts';

/** Phones: mobile (SMS or call), alternate and office (call); one of each per user. */
export const phoneKind: MethodKindModule = {
  kind: 'phone',
  authMode: 'sms',
  limit: () => 3,
  // The owner sees the number; anyone at a sign-in prompt sees it masked.
  describe: async (ctx, methods, audience, policy) =>
    new Map(
      (
        await phonesByMethod(
          ctx,
          methods.map((m) => m.id),
        )
      ).map((r) => [
        r.method_id,
        {
          detail: audience === 'owner' ? formatPhoneNumber(r.e164, r.extension ?? undefined) : maskPhoneNumber(r.e164),
          phoneKind: r.phone_kind,
          deliveries: allowedDeliveries(r.phone_kind, policy),
        },
      ]),
    ),
  // A phone none of whose deliveries the policy allows (SMS off for an alternate phone is fine; voice off is not) is off.
  turnedOff: async (ctx, methods, policy) =>
    new Set(
      (
        await phonesByMethod(
          ctx,
          methods.map((m) => m.id),
        )
      )
        .filter((r) => allowedDeliveries(r.phone_kind, policy).length === 0)
        .map((r) => r.method_id),
    ),
  addOptions: (policy) => {
    const phones = phoneKinds
      .map((phoneKind) => ({ phoneKind, deliveries: allowedDeliveries(phoneKind, policy) }))
      .filter((p) => p.deliveries.length > 0);
    return { allowed: phones.length > 0, phones };
  },
  // Renames, deletions and default changes of a phone carry its number in the log (docs/reference.md#verification-log).
  logFacts: async (ctx, methodId) => ({ phone: await numberOf(ctx, methodId) }),
  sweepExpired: sweepExpiredChallenges,
  routes: phoneRoutes,
};

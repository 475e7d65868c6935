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
  describe: async (ctx, methods, audience) =>
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
        },
      ]),
    ),
  // Renames, deletions and default changes of a phone carry its number in the log (docs/reference.md#verification-log).
  logFacts: async (ctx, methodId) => ({ phone: await numberOf(ctx, methodId) }),
  sweepExpired: sweepExpiredChallenges,
  routes: phoneRoutes,
};

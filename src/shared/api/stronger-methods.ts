import { z } from 'zod/mini';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, phoneDeliverySchema } from './common.ts';

/*
 * Moving people towards stronger methods (docs/reference.md#stronger-methods-first): which
 * method sign-in asks for first, and the invitation to add a passkey or an authenticator app.
 */

/** What the second step of sign-in asks for first: a method and, for a phone, how its code is offered first. */
export const askedFirstSchema = z.object({
  methodId: idSchema,
  delivery: z.nullable(phoneDeliverySchema),
});
export type AskedFirst = z.infer<typeof askedFirstSchema>;

/** The kinds the invitation offers, stronger first. */
export const nudgeOfferSchema = z.enum(['webauthn', 'authenticator']);
export type NudgeOffer = z.infer<typeof nudgeOfferSchema>;

/** The invitation as the signed-in user sees it now. */
export const nudgeSchema = z.discriminatedUnion('show', [
  z.object({ show: z.literal(false) }),
  z.object({
    show: z.literal(true),
    /** What the user may add under the policy, stronger first (never empty). */
    offers: z.array(nudgeOfferSchema).check(z.minLength(1)),
    /** This showing is the last: putting it off ends the invitation for good. */
    lastReminder: z.boolean(),
  }),
]);
export type Nudge = z.infer<typeof nudgeSchema>;

export const getNudge = endpoint({
  method: 'GET',
  path: '/api/security-info/stronger-methods-nudge',
  tag: 'security-info',
  summary: 'Whether to invite a user whose only methods are phones to add a passkey or an authenticator app',
  guard: guards.signedIn,
  response: nudgeSchema,
});

export const snoozeNudge = endpoint({
  method: 'POST',
  path: '/api/security-info/stronger-methods-nudge/snooze',
  tag: 'security-info',
  summary: 'Put the invitation off for 14 days; the third time ends it',
  body: z.strictObject({}),
  guard: guards.signedIn,
  response: nudgeSchema,
});

/** Lets an end-to-end test end its user's snooze at once, instead of waiting 14 days (not in production). */
export const endNudgeSnooze = endpoint({
  method: 'POST',
  path: '/api/dev/stronger-methods-nudge/end-snooze',
  tag: 'dev',
  summary: 'End the signed-in user’s snooze of the stronger-methods invitation now (not in production)',
  body: z.strictObject({}),
  guard: guards.signedIn,
  response: z.object({ ok: z.literal(true) }),
});

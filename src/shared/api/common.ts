import { z } from 'zod';
import { methodKindSchema } from '../policy.ts';
import { userText } from '../text.ts';

export const isoDate = z.iso.datetime({ offset: true });
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
export const okSchema = z.object({ ok: z.literal(true) });

/** Six digits as RFC 6238 / RFC 4226 produce them; spaces a user typed are removed first. */
export const otpCodeSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/));

/** A user-chosen name for a method: 1..64 characters of user text (src/shared/text.ts). */
export const methodLabelSchema = userText({ max: 64 });

/** A user name as typed or as a path parameter: user text, at most 128 characters. */
export const usernameSchema = userText({ max: 128 });

/** Kinds of phone, as in the reference product: at most one of each per user. */
export const phoneKinds = ['mobile', 'alternate', 'office'] as const;
export const phoneKindSchema = z.enum(phoneKinds);
export type PhoneKind = z.infer<typeof phoneKindSchema>;

/** How a phone receives a code: a text message (mobile phones only) or a call. */
export const phoneDeliverySchema = z.enum(['sms', 'voice']);
export type PhoneDelivery = z.infer<typeof phoneDeliverySchema>;

export const methodSummarySchema = z.object({
  id: idSchema,
  kind: methodKindSchema,
  label: z.string(),
  /** What identifies the method to its owner (a masked number, an account name), if anything. */
  detail: z.string().nullable(),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  isDefault: z.boolean(),
  /** For phones: which kind, which decides SMS or call. */
  phoneKind: phoneKindSchema.optional(),
  /** For phones: how a code may reach it under the policy; each may be chosen as the default. */
  deliveries: z.array(phoneDeliverySchema).optional(),
  /** The organisation's policy turned this method's kind (or, for a phone, every way of reaching it) off: kept, but not usable until turned on again. */
  turnedOff: z.boolean(),
});
export type MethodSummary = z.infer<typeof methodSummarySchema>;

/** A method the user may use for the second step of sign-in or re-verification. */
export const signInOptionSchema = z.object({
  methodId: idSchema,
  kind: methodKindSchema,
  label: z.string(),
  detail: z.string().nullable(),
  isDefault: z.boolean(),
  phoneKind: phoneKindSchema.optional(),
  /** For phones: how a code may reach it under the policy (no text messages when SMS is off). */
  deliveries: z.array(phoneDeliverySchema).optional(),
  /** Shown, so the user knows why it is missing, but never offered: the policy turned it off. */
  turnedOff: z.boolean(),
});
export type SignInOption = z.infer<typeof signInOptionSchema>;

/**
 * What the client needs to check a new password as it is typed (docs/reference.md#new-passwords): the
 * organisation's minimum length and the words the strength estimate treats as guessable for this
 * person (user name, name, organisation). Sent wherever a new password is chosen.
 */
export const newPasswordRulesShape = {
  minLength: z.number().int(),
  personalWords: z.array(z.string()),
};

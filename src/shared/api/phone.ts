import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, methodLabelSchema, methodSummarySchema, otpCodeSchema, phoneDeliverySchema, phoneKindSchema } from './common.ts';
import { sessionInfoSchema } from './session.ts';
import { userText } from '../text.ts';

export { phoneKinds, phoneKindSchema, phoneDeliverySchema, type PhoneKind, type PhoneDelivery } from './common.ts';
export { allowedDeliveries, deliveriesFor } from '../phone/deliveries.ts';

/** Why a number was refused; the client explains each. */
export const phoneRejectReasons = [
  'invalid_country',
  'not_a_number',
  'too_short',
  'too_long',
  'invalid_number',
  'voip_not_allowed',
  'invalid_extension',
] as const;

/** Where a code stands, so the page can count down and say how many sends are left. */
export const codeChallengeSchema = z.object({
  challengeId: idSchema,
  delivery: phoneDeliverySchema,
  maskedNumber: z.string(),
  /** ISO 3166 region of the number, for the expected SMS sender. */
  country: z.string(),
  expiresInSeconds: z.number().int().nonnegative(),
  sendsRemaining: z.number().int().nonnegative(),
  /** Seconds until another send is allowed, when none is left now. */
  nextSendInSeconds: z.number().int().nonnegative(),
});
export type CodeChallenge = z.infer<typeof codeChallengeSchema>;

export const startPhoneSetup = endpoint({
  method: 'POST',
  path: '/api/methods/phone/setup',
  tag: 'phone',
  summary: 'Send a code to a new (or changed) number; nothing is saved until it is proved',
  body: z.strictObject({
    phoneKind: phoneKindSchema,
    country: z.string().regex(/^[A-Za-z]{2}$/),
    number: userText({ max: 40 }),
    extension: userText({ min: 0, max: 10 }).optional(),
    delivery: phoneDeliverySchema,
    /** Change the number of this phone method (verified before the old one is dropped). */
    replaceMethodId: idSchema.optional(),
  }),
  guard: guards.changing,
  response: codeChallengeSchema,
});

export const resendPhoneCode = endpoint({
  method: 'POST',
  path: '/api/methods/phone/resend',
  tag: 'phone',
  summary: 'Send a new code for the same number (or call instead); the previous code stops working',
  body: z.strictObject({ challengeId: idSchema, delivery: phoneDeliverySchema }),
  guard: guards.verifying,
  response: codeChallengeSchema,
});

export const confirmPhoneSetup = endpoint({
  method: 'POST',
  path: '/api/methods/phone/confirm',
  tag: 'phone',
  summary: 'Save the phone once the user enters the code it received',
  body: z.strictObject({ challengeId: idSchema, code: otpCodeSchema, label: methodLabelSchema }),
  guard: guards.managing,
  response: z.object({ method: methodSummarySchema }),
});

export const sendSignInCode = endpoint({
  method: 'POST',
  path: '/api/auth/phone/send',
  tag: 'phone',
  summary: 'Text or call a registered phone with a code, for sign-in or re-verification',
  body: z.strictObject({ methodId: idSchema, delivery: phoneDeliverySchema }),
  guard: guards.verifying,
  response: codeChallengeSchema,
});

export const verifySignInCode = endpoint({
  method: 'POST',
  path: '/api/auth/phone/verify',
  tag: 'phone',
  summary: 'Second step of sign-in, or re-verification, with a code sent to a phone',
  body: z.strictObject({ challengeId: idSchema, code: otpCodeSchema }),
  guard: guards.verifying,
  response: sessionInfoSchema,
});

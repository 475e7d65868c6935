import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { isoDate, okSchema, otpCodeSchema, idSchema, signInOptionSchema, usernameSchema } from './common.ts';

/**
 * Why a user must register security info before going on
 * (docs/reference.md#why-a-user-is-asked-to-register). The interruption names it.
 */
export const registrationReasons = [
  'mfa_required',
  'password_reset_enabled',
  'conditional_access',
  'device_registration',
  'windows_hello',
  'registration_policy',
  'default_method_disabled',
  'admin_reset',
  'no_usable_method',
] as const;
export const registrationReasonSchema = z.enum(registrationReasons);
export type RegistrationReason = z.infer<typeof registrationReasonSchema>;

export const sessionUserSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
});

/**
 * Where a visitor stands in the sign-in flow. A discriminated union, so the
 * client cannot be in two steps at once.
 */
export const sessionInfoSchema = z.object({
  csrfToken: z.string(),
  devTools: z.boolean(),
  state: z.discriminatedUnion('stage', [
    z.object({ stage: z.literal('anonymous') }),
    z.object({
      stage: z.literal('second_factor'),
      user: sessionUserSchema,
      /** Every registered method, default first; those marked `turnedOff` are shown but cannot be used. */
      options: z.array(signInOptionSchema),
      /**
       * `offered`: a temporary access pass may be typed instead of a method ("sign in another way").
       * `required`: no usable method is left, so a pass from an administrator is the only way in.
       * null: the policy turned passes off.
       */
      temporaryAccessPass: z.enum(['offered', 'required']).nullable(),
      /** A recovery code may be typed instead of a method: the policy allows them and the user has one left. */
      recoveryCode: z.boolean().optional(),
    }),
    z.object({
      stage: z.literal('registration'),
      user: sessionUserSchema,
      reason: registrationReasonSchema,
      /** How many usable methods the organisation wants before "Done" lets the user go. */
      methodsRequired: z.union([z.literal(1), z.literal(2)]),
    }),
    z.object({
      /** An administrator requires a new password: nothing else is reachable until it is changed. */
      stage: z.literal('password_change'),
      user: sessionUserSchema,
      /** The user's methods for verifying again, should the change come after the re-verification window. */
      options: z.array(signInOptionSchema),
      recoveryCode: z.boolean().optional(),
    }),
    z.object({
      stage: z.literal('signed_in'),
      user: sessionUserSchema,
      /** Until when security info may change without verifying again; null when a new verification is needed. */
      reauthValidUntil: isoDate.nullable(),
      /** The user's methods for verifying again; those marked `turnedOff` cannot be used. */
      options: z.array(signInOptionSchema),
      /** A recovery code may be typed to verify again. */
      recoveryCode: z.boolean().optional(),
      /**
       * Right after a sign-in with a password and a second step, where the policy allows it: the
       * browser may ask the password manager for a passkey without a prompt (docs/reference.md#stronger-methods-first).
       */
      passkeyUpgrade: z.boolean(),
    }),
  ]),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
export type SessionState = SessionInfo['state'];

export const getSession = endpoint({
  method: 'GET',
  path: '/api/session',
  tag: 'session',
  summary: 'The visitor’s session: sign-in stage, CSRF token',
  response: sessionInfoSchema,
});

export const signIn = endpoint({
  method: 'POST',
  path: '/api/auth/sign-in',
  tag: 'session',
  summary: 'First step of sign-in: user name and password',
  body: z.strictObject({
    username: usernameSchema,
    password: z.string().min(1).max(1024),
  }),
  response: sessionInfoSchema,
});

export const verifyTotp = endpoint({
  method: 'POST',
  path: '/api/auth/verify/totp',
  tag: 'session',
  summary: 'Second step of sign-in, or re-verification, with an authenticator app code',
  body: z.strictObject({ code: otpCodeSchema, methodId: idSchema.optional() }),
  guard: guards.verifying,
  response: sessionInfoSchema,
});

export const completeRegistration = endpoint({
  method: 'POST',
  path: '/api/auth/registration/complete',
  tag: 'session',
  summary: 'Leave the registration interruption once a usable method and a default exist',
  guard: { stages: ['registration'] },
  response: sessionInfoSchema,
});

export const signOut = endpoint({
  method: 'POST',
  path: '/api/auth/sign-out',
  tag: 'session',
  summary: 'End the session',
  response: okSchema,
});

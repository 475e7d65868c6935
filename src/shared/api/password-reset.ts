import { z } from 'zod';
import { endpoint } from '../endpoint.ts';
import { PASSWORD_MAX_LENGTH } from '../password/rules.ts';
import { newPasswordRulesShape, okSchema, signInOptionSchema, usernameSchema } from './common.ts';

/**
 * Self-service password reset (docs/reference.md#self-service-password-reset): a discriminated
 * union of where the reset stands, so the page is in exactly one step. An unknown user name, a
 * user with too few usable methods and a reset the organisation turned off all answer
 * `contact_admin`, identically.
 */
export const passwordResetStateSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('contact_admin') }),
  z.object({
    step: z.literal('prove'),
    /** 1 or 2; with 2, two different methods. */
    methodsRequired: z.union([z.literal(1), z.literal(2)]),
    /** The usable methods, shown as at a sign-in prompt (phone numbers masked). */
    options: z.array(signInOptionSchema),
    /** Methods that have proved the user in this reset so far. */
    provedMethodIds: z.array(z.string()),
    /** The user may prove who they are with one of their recovery codes (one proof, whatever is left). */
    recoveryCode: z.boolean(),
  }),
  z.object({
    step: z.literal('choose_password'),
    ...newPasswordRulesShape,
  }),
]);
export type PasswordResetState = z.infer<typeof passwordResetStateSchema>;

export const startPasswordReset = endpoint({
  method: 'POST',
  path: '/api/password-reset',
  tag: 'password-reset',
  summary: 'Start a password reset for a user name; the answer is the same for unknown names',
  body: z.strictObject({ username: usernameSchema }),
  response: passwordResetStateSchema,
});

export const getPasswordReset = endpoint({
  method: 'GET',
  path: '/api/password-reset',
  tag: 'password-reset',
  summary: 'Where the password reset this browser started stands',
  response: passwordResetStateSchema,
});

export const setNewPassword = endpoint({
  method: 'POST',
  path: '/api/password-reset/password',
  tag: 'password-reset',
  summary: 'Set the new password once the required methods have proved the user; ends every session',
  body: z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
  /** App passwords stay valid after a reset (they are no session); the page and the e-mail say so. */
  response: okSchema,
});

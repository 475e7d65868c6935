import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { PASSWORD_MAX_LENGTH } from '../password/rules.ts';
import { isoDate } from './common.ts';
import { sessionInfoSchema } from './session.ts';

/**
 * Changing one's password (docs/reference.md#changing-the-password): on Security info, or in the
 * interruption of a user an administrator requires to change it. The new password obeys the rules
 * of docs/reference.md#new-passwords, as a reset's does.
 */

/** What the client's strength meter needs to apply the server's rules as the user types. */
export const newPasswordRulesSchema = z.object({
  minLength: z.number().int(),
  /** The words the strength estimate treats as guessable for this person: user name, name, organisation. */
  personalWords: z.array(z.string()),
});

export const passwordStatusSchema = z.object({
  ...newPasswordRulesSchema.shape,
  /** When the password was last changed or reset. */
  changedAt: isoDate,
  /** An administrator requires a new password: the interruption lasts until it is changed. */
  changeRequired: z.boolean(),
});
export type PasswordStatus = z.infer<typeof passwordStatusSchema>;

export const getPassword = endpoint({
  method: 'GET',
  path: '/api/password',
  tag: 'security-info',
  summary: 'When the password was last changed, and the rules a new one must meet',
  guard: { stages: guards.passwordChanging.stages },
  response: passwordStatusSchema,
});

export const changePassword = endpoint({
  method: 'POST',
  path: '/api/password',
  tag: 'security-info',
  summary: 'Change the password with the current one (recent verification); ends every other session',
  body: z.strictObject({
    currentPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  }),
  guard: guards.passwordChanging,
  response: z.object({
    /** Under a new id and CSRF token; out of the interruption when the change ended it. */
    session: sessionInfoSchema,
    password: passwordStatusSchema,
  }),
});

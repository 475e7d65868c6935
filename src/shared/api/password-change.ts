import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { PASSWORD_MAX_LENGTH } from '../password/rules.ts';
import { passwordStatusSchema } from './security-info.ts';
import { sessionInfoSchema } from './session.ts';

/**
 * Changing one's password (docs/reference.md#changing-the-password): on Security info, or in the
 * interruption of a user an administrator requires to change it; the new password obeys the rules
 * of docs/reference.md#new-passwords, as a reset's does. What Security info shows of the password
 * is in security-info.ts: this module loads with the dialog, not with the page.
 */
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

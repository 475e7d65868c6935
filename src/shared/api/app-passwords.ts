import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, isoDate, methodLabelSchema } from './common.ts';

export const appPasswordSummarySchema = z.object({
  id: idSchema,
  name: z.string(),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  lastUsedIp: z.string().nullable(),
});
export type AppPasswordSummary = z.infer<typeof appPasswordSummarySchema>;

export const appPasswordListSchema = z.object({
  /** Whether the organisation allows app passwords at all (docs/reference.md#app-passwords: off unless legacy clients exist). */
  allowed: z.boolean(),
  max: z.number().int().nonnegative(),
  items: z.array(appPasswordSummarySchema),
});
export type AppPasswordList = z.infer<typeof appPasswordListSchema>;

export const listAppPasswords = endpoint({
  method: 'GET',
  path: '/api/app-passwords',
  tag: 'app-passwords',
  summary: 'The signed-in user’s app passwords (never their values)',
  guard: guards.signedIn,
  response: appPasswordListSchema,
});

export const createAppPassword = endpoint({
  method: 'POST',
  path: '/api/app-passwords',
  tag: 'app-passwords',
  summary: 'Create an app password; its value is in this response and nowhere else, ever',
  body: z.strictObject({ name: methodLabelSchema }),
  guard: guards.signedInChanging,
  response: z.object({ item: appPasswordSummarySchema, password: z.string() }),
});

export const deleteAppPassword = endpoint({
  method: 'DELETE',
  path: '/api/app-passwords/:appPasswordId',
  tag: 'app-passwords',
  summary: 'Delete one app password',
  params: z.object({ appPasswordId: idSchema }),
  guard: guards.signedInChanging,
  response: appPasswordListSchema,
});

export const deleteAllAppPasswords = endpoint({
  method: 'DELETE',
  path: '/api/app-passwords',
  tag: 'app-passwords',
  summary: 'Delete all of the user’s app passwords (after losing a phone)',
  guard: guards.changing,
  response: appPasswordListSchema,
});

/**
 * The sign-in that legacy clients (IMAP, SMTP, older Outlook) make, standing in
 * for their protocols: HTTP Basic with the user name and an app password.
 */
export const legacyWhoAmI = endpoint({
  method: 'GET',
  path: '/legacy/v1/whoami',
  tag: 'legacy',
  summary: 'HTTP Basic (user name + app password) → the user’s identity, or 401',
  csrfExempt: true,
  response: z.object({ username: z.string(), displayName: z.string() }),
});

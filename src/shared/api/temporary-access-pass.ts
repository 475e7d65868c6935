import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { isoDate, okSchema, usernameSchema } from './common.ts';
import { sessionInfoSchema } from './session.ts';

/**
 * Temporary access passes: a time-limited code an administrator issues so a
 * user with no usable method (or a lost phone) can sign in and register again.
 * Shown to the administrator once; stored only as a keyed hash.
 */

const usernameParams = z.object({ username: usernameSchema });

export const temporaryAccessPassInfoSchema = z.object({
  createdAt: isoDate,
  startsAt: isoDate,
  expiresAt: isoDate,
  oneTime: z.boolean(),
});
export type TemporaryAccessPassInfo = z.infer<typeof temporaryAccessPassInfoSchema>;

export const issueTemporaryAccessPass = endpoint({
  method: 'POST',
  path: '/api/admin/users/:username/temporary-access-pass',
  tag: 'admin',
  summary: 'Issue a temporary access pass, replacing any active one (administrators, recent verification)',
  params: usernameParams,
  body: z.strictObject({
    /** 10 minutes to 30 days; the policy's default when absent. */
    lifetimeMinutes: z.number().int().min(10).max(43_200).optional(),
    /** The policy's default when absent. */
    oneTime: z.boolean().optional(),
    /** Not usable before this moment; now when absent. */
    startsAt: isoDate.optional(),
  }),
  guard: guards.admin,
  response: temporaryAccessPassInfoSchema.extend({
    /** The pass itself: shown this once, never again. */
    pass: z.string(),
  }),
});

export const getTemporaryAccessPass = endpoint({
  method: 'GET',
  path: '/api/admin/users/:username/temporary-access-pass',
  tag: 'admin',
  summary: 'The user’s active temporary access pass, without the pass itself (administrators, recent verification)',
  params: usernameParams,
  guard: guards.admin,
  response: z.object({ active: temporaryAccessPassInfoSchema.nullable() }),
});

export const revokeTemporaryAccessPass = endpoint({
  method: 'DELETE',
  path: '/api/admin/users/:username/temporary-access-pass',
  tag: 'admin',
  summary: 'Revoke the user’s temporary access pass (administrators, recent verification)',
  params: usernameParams,
  guard: guards.admin,
  response: okSchema,
});

export const verifyTemporaryAccessPass = endpoint({
  method: 'POST',
  path: '/api/auth/verify/temporary-access-pass',
  tag: 'session',
  summary: 'Second step of sign-in, or re-verification, with a temporary access pass',
  body: z.strictObject({ pass: z.string().min(1).max(128) }),
  guard: guards.verifyingWithoutReset,
  response: sessionInfoSchema,
});

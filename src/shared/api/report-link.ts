import { z } from 'zod';
import { endpoint } from '../endpoint.ts';

/**
 * "This wasn't me" (docs/reference.md#this-wasnt-me): the link in every
 * security-info e-mail. Works without being signed in; the token is the proof.
 * Classic zod for the reason given in recovery-codes.ts.
 */

export const reportNotMe = endpoint({
  method: 'POST',
  path: '/api/this-wasnt-me',
  tag: 'session',
  summary: 'Report a security-info change the user did not make: signs them out everywhere, deletes app passwords, flags the account',
  body: z.strictObject({ token: z.string().min(1).max(512) }),
  response: z.object({
    /** Sessions ended (every device). */
    sessionsRevoked: z.number().int().nonnegative(),
    appPasswordsDeleted: z.number().int().nonnegative(),
  }),
});

import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { isoDate } from './common.ts';
import { sessionInfoSchema } from './session.ts';

/**
 * Recovery codes (docs/reference.md#recovery-codes): ten single-use codes for
 * the day a user's methods are out of reach. Not a method: shown once when
 * generated, stored only as keyed hashes.
 *
 * Written with classic zod: the contract's `EndpointDef` accepts only classic
 * schemas until the whole contract moves to zod/mini.
 */

export const recoveryCodeStatusSchema = z.object({
  /** The organisation's policy allows recovery codes. */
  enabled: z.boolean(),
  /** Unused codes left. */
  remaining: z.number().int().nonnegative(),
  /** How many a new set has. */
  total: z.number().int().positive(),
  /** Few codes left (3 or fewer): time to generate a new set. */
  low: z.boolean(),
  /** When the current set was generated; null when the user has none. */
  generatedAt: isoDate.nullable(),
});
export type RecoveryCodeStatus = z.infer<typeof recoveryCodeStatusSchema>;

export const getRecoveryCodes = endpoint({
  method: 'GET',
  path: '/api/recovery-codes',
  tag: 'security-info',
  summary: 'How many recovery codes the user has left',
  guard: guards.managing,
  response: recoveryCodeStatusSchema,
});

export const generateRecoveryCodes = endpoint({
  method: 'POST',
  path: '/api/recovery-codes',
  tag: 'security-info',
  summary: 'Generate a new set of recovery codes, replacing any earlier set (recent verification)',
  guard: guards.changing,
  response: z.object({
    /** The codes, formatted in groups: shown this once, never again. */
    codes: z.array(z.string()),
    status: recoveryCodeStatusSchema,
  }),
});

export const verifyRecoveryCode = endpoint({
  method: 'POST',
  path: '/api/auth/verify/recovery-code',
  tag: 'session',
  summary: 'Second step of sign-in, or re-verification, with a recovery code (uses it up)',
  body: z.strictObject({ code: z.string().min(1).max(64) }),
  guard: guards.verifying,
  response: sessionInfoSchema,
});

import { z } from 'zod';
import { userText } from './text.ts';

// The admin page parses with this module's zod schemas, so it takes no schema from
// src/shared/api: the browser build replaces those with generated checks
// (docs/reference.md#client-contract). The same as common.ts's isoDate:
const isoDate = z.iso.datetime({ offset: true });

/** How a verification went through, as the verification log records it. */
export const authModes = [
  'password',
  'totp',
  'sms',
  'voice',
  'webauthn',
  'app_password',
  'hardware_token',
  'temporary_access_pass',
  'recovery_code',
  'none',
] as const;
export const authModeSchema = z.enum(authModes);
export type AuthMode = z.infer<typeof authModeSchema>;

export const logResults = ['success', 'denied'] as const;

/**
 * The filters of the administrators' log view, shared by the JSON page and
 * the CSV export. User names are stored lower-case, so matching is
 * case-insensitive by lower-casing what was typed.
 */
export const logFilterShape = {
  /** A user name, matched exactly, or as a prefix when `userMatch` is `prefix`. */
  user: userText({ max: 128 })
    .transform((s) => s.toLowerCase())
    .optional(),
  userMatch: z.enum(['exact', 'prefix']).optional(),
  method: authModeSchema.optional(),
  result: z.enum(logResults).optional(),
  denialReason: z
    .string()
    .regex(/^[a-z0-9_]{1,64}$/)
    .optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  clientIp: userText({ max: 64 }).optional(),
};

export const logFilterSchema = z.object(logFilterShape);
export type LogFilterInput = z.input<typeof logFilterSchema>;
export type LogFilter = z.output<typeof logFilterSchema>;

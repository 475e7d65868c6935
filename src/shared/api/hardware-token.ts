import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { userText } from '../text.ts';
import { idSchema, isoDate, methodLabelSchema, methodSummarySchema, usernameSchema } from './common.ts';
import { sessionInfoSchema } from './session.ts';

/**
 * Hardware OATH tokens (docs/reference.md#hardware-tokens): an administrator imports them
 * (CSV or PSKC), a user activates theirs with its serial number and a code, then signs in with it.
 */

/** A code a token shows: 6 or 8 digits (RFC 4226 §5.3); spaces and dashes a user typed are removed first. */
export const tokenCodeSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(\d{6}|\d{8})$/));

/** The serial number printed on the back of a token, as the user types it: user text (docs/reference.md#user-text). */
export const tokenSerialSchema = userText({ max: 64 });

/** Files up to 10 MB are imported (docs/reference.md#hardware-tokens). */
export const TOKEN_IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/**
 * The request carries the file as a JSON string, whose escapes (quotes in XML, line breaks)
 * make it longer than the file; the file's own size is checked after parsing.
 */
const TOKEN_IMPORT_BODY_LIMIT = Math.ceil(TOKEN_IMPORT_MAX_BYTES * 1.5);

/**
 * Two consecutive codes resynchronise a token that drifted: `code`, then the one the token
 * shows next (`nextCode`). Without `nextCode` only the normal window is searched.
 */
const codes = { code: tokenCodeSchema, nextCode: tokenCodeSchema.optional() };

export const activateHardwareToken = endpoint({
  method: 'POST',
  path: '/api/methods/hardware-token/activate',
  tag: 'hardware-token',
  summary: 'Activate the hardware token an administrator assigned to the user: its serial number and a current code',
  body: z.strictObject({ serial: tokenSerialSchema, ...codes, label: methodLabelSchema }),
  guard: guards.changing,
  response: z.object({ method: methodSummarySchema, resynchronised: z.boolean() }),
});

export const verifyHardwareToken = endpoint({
  method: 'POST',
  path: '/api/auth/verify/hardware-token',
  tag: 'session',
  summary: 'Second step of sign-in, or re-verification, with a code from a hardware token',
  body: z.strictObject({ ...codes, methodId: idSchema.optional() }),
  guard: guards.verifying,
  response: z.object({ session: sessionInfoSchema, resynchronised: z.boolean() }),
});

// The administrator's side.

export const tokenImportFormats = ['csv', 'pskc'] as const;

export const tokenImportBodySchema = z.strictObject({
  format: z.enum(tokenImportFormats),
  /** The file's text (UTF-8). Its size is checked in bytes by the server. */
  content: z.string().min(1),
  /** PSKC only: the pre-shared AES-128 key the secrets were encrypted with, 32 hex digits. */
  preSharedKey: z
    .string()
    .transform((s) => s.replace(/\s/g, '').toLowerCase())
    .pipe(z.string().regex(/^[0-9a-f]{32}$/))
    .optional(),
});
export type TokenImportBody = z.input<typeof tokenImportBodySchema>;

/** Why a row or key package cannot be imported; each is translated as `hardware-token:problem.<reason>`. */
export const tokenImportProblems = [
  'malformed_file',
  'missing_header',
  'missing_field',
  'bad_base32',
  'bad_base64',
  'secret_too_short',
  'bad_interval',
  'bad_digits',
  'bad_counter',
  'unknown_user',
  'duplicate_in_file',
  'already_imported',
  'unsupported_algorithm',
  'key_required',
  'wrong_key',
  'mac_mismatch',
  'dtd_not_allowed',
] as const;
export type TokenImportProblemReason = (typeof tokenImportProblems)[number];

export const tokenImportProblemSchema = z.object({
  /** CSV: the line in the file (1 is the header). */
  line: z.number().int().positive().optional(),
  /** PSKC: the element, e.g. `KeyPackage[3]` (1-based), or `MACMethod`. */
  element: z.string().optional(),
  serial: z.string().optional(),
  reason: z.enum(tokenImportProblems),
});
export type TokenImportProblem = z.infer<typeof tokenImportProblemSchema>;

export const tokenImportPreviewSchema = z.object({
  format: z.enum(tokenImportFormats),
  /** Tokens that would be imported when the file has no problem. */
  tokens: z.number().int().nonnegative(),
  totp: z.number().int().nonnegative(),
  hotp: z.number().int().nonnegative(),
  /** How many problems in all; the list below stops at the first 500. */
  problemCount: z.number().int().nonnegative(),
  problems: z.array(tokenImportProblemSchema),
});
export type TokenImportPreview = z.infer<typeof tokenImportPreviewSchema>;

export const previewTokenImport = endpoint({
  method: 'POST',
  path: '/api/admin/hardware-tokens/import/preview',
  tag: 'admin',
  summary: 'Check a CSV or PSKC file of hardware tokens without storing anything (administrators)',
  body: tokenImportBodySchema,
  guard: guards.admin,
  bodyLimit: TOKEN_IMPORT_BODY_LIMIT,
  response: tokenImportPreviewSchema,
});

export const commitTokenImport = endpoint({
  method: 'POST',
  path: '/api/admin/hardware-tokens/import',
  tag: 'admin',
  summary: 'Import every token of a file, or none when any row is bad (administrators, recent verification)',
  body: tokenImportBodySchema,
  guard: guards.admin,
  bodyLimit: TOKEN_IMPORT_BODY_LIMIT,
  response: z.object({ imported: z.number().int().nonnegative() }),
});

export const hardwareTokenSchema = z.object({
  id: idSchema,
  serial: z.string(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  kind: z.enum(['totp', 'hotp']),
  /** The user name it is assigned to, if any. */
  assignedTo: z.string().nullable(),
  activated: z.boolean(),
  lastUsedAt: isoDate.nullable(),
  importedAt: isoDate,
});
export type HardwareToken = z.infer<typeof hardwareTokenSchema>;

export const hardwareTokensPageSize = 50;

export const listHardwareTokens = endpoint({
  method: 'GET',
  path: '/api/admin/hardware-tokens',
  tag: 'admin',
  summary: 'Imported hardware tokens by serial number, a page at a time; q filters by serial prefix (administrators)',
  query: z.strictObject({
    q: userText({ min: 0, max: 64 }).default(''),
    after: tokenSerialSchema.optional(),
  }),
  guard: guards.admin,
  response: z.object({ tokens: z.array(hardwareTokenSchema), next: z.string().nullable(), total: z.number().int().nonnegative() }),
});

const tokenParams = z.object({ tokenId: idSchema });

export const assignHardwareToken = endpoint({
  method: 'PUT',
  path: '/api/admin/hardware-tokens/:tokenId/assignment',
  tag: 'admin',
  summary: 'Assign a token to a user (administrators, recent verification)',
  params: tokenParams,
  body: z.strictObject({ username: usernameSchema }),
  guard: guards.admin,
  response: hardwareTokenSchema,
});

export const unassignHardwareToken = endpoint({
  method: 'DELETE',
  path: '/api/admin/hardware-tokens/:tokenId/assignment',
  tag: 'admin',
  summary: 'Take a token from its user; an activated token stops working for them (administrators, recent verification)',
  params: tokenParams,
  guard: guards.admin,
  response: hardwareTokenSchema,
});

export const deleteHardwareToken = endpoint({
  method: 'DELETE',
  path: '/api/admin/hardware-tokens/:tokenId',
  tag: 'admin',
  summary: 'Delete a token and its secret (administrators, recent verification)',
  params: tokenParams,
  guard: guards.admin,
  response: z.object({ ok: z.literal(true) }),
});

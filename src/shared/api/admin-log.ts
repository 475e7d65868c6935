import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, isoDate } from './common.ts';
import { userText } from '../text.ts';

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

/** Which way a page of the log was read from a cursor: towards older or towards newer records. */
export type LogDirection = 'older' | 'newer';

/** A position in the log, newest first: the time and id of a record, and which way to read from it. */
export interface LogCursor {
  at: number;
  id: string;
  direction: LogDirection;
}

const cursorPattern = /^(o|n)\.(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;

const toBase64Url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Opaque to clients: base64url of `<o|n>.<at>.<id>` (all ASCII, so btoa suffices on both ends). */
export function encodeLogCursor(cursor: LogCursor): string {
  return toBase64Url(`${cursor.direction === 'older' ? 'o' : 'n'}.${cursor.at}.${cursor.id}`);
}

export function decodeLogCursor(value: string): LogCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) return null;
  let text: string;
  try {
    text = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null;
  }
  const match = cursorPattern.exec(text);
  if (!match) return null;
  return { direction: match[1] === 'o' ? 'older' : 'newer', at: Number(match[2]), id: match[3]! };
}

const logCursorSchema = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const cursor = decodeLogCursor(value);
    if (!cursor) {
      ctx.addIssue({ code: 'custom', message: 'bad cursor' });
      return z.NEVER;
    }
    return cursor;
  });

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

export const logPageSize = { min: 1, max: 200, default: 50 } as const;

export const logQuerySchema = z.object({
  ...logFilterShape,
  cursor: logCursorSchema.optional(),
  limit: z.coerce.number().int().min(logPageSize.min).max(logPageSize.max).default(logPageSize.default),
});

/** One record of the verification log: exactly the reference's fields (docs/reference.md#verification-log). */
export const logRecordSchema = z.object({
  id: idSchema,
  at: isoDate,
  username: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  deviceToken: z.string().nullable(),
  authMode: z.string(),
  event: z.string(),
  result: z.enum(logResults),
  denialReason: z.string().nullable(),
  serverName: z.string(),
  serverIp: z.string().nullable(),
  clientIp: z.string().nullable(),
});
export type LogRecord = z.infer<typeof logRecordSchema>;

export const getVerificationLog = endpoint({
  method: 'GET',
  path: '/api/admin/verification-log',
  tag: 'admin',
  summary: 'Everyone’s verification log records, newest first, filtered, a keyset page at a time (administrators, recent verification)',
  query: logQuerySchema,
  guard: guards.admin,
  response: z.object({
    entries: z.array(logRecordSchema),
    /** Where the next older page starts; null on the oldest page. */
    older: z.string().nullable(),
    /** Where the next newer page starts; null on the newest page. */
    newer: z.string().nullable(),
  }),
});

/**
 * The same filters as a CSV file. The server streams it outside `route()`
 * (which parses JSON answers) with the same guard and query schema; the
 * definition stays here so the OpenAPI document lists it.
 */
export const exportVerificationLog = endpoint({
  method: 'GET',
  path: '/api/admin/verification-log.csv',
  tag: 'admin',
  summary: 'Everyone’s verification log records matching the filters, as a CSV file (administrators, recent verification)',
  query: logFilterSchema,
  guard: guards.admin,
  responseType: 'text/csv',
  response: z.string(),
});

/** The CSV file's header row: stable English names, one per reference field, in this order. */
export const logCsvColumns = [
  'id',
  'time_utc',
  'user_name',
  'first_name',
  'last_name',
  'email',
  'phone_number',
  'device_token',
  'authentication_mode',
  'event',
  'result',
  'denial_reason',
  'server_name',
  'server_ip',
  'client_ip',
] as const;

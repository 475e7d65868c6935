import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, isoDate } from './common.ts';
import { logFilterSchema, logFilterShape, logResults } from '../admin-log-filter.ts';

// The filter schema is parsed by the admin page too, with its trimming and lower-casing: it lives
// outside src/shared/api, which the client build replaces with generated checks
// (scripts/contract-validators.ts), and is re-exported here.
export {
  authModes,
  authModeSchema,
  logResults,
  logFilterShape,
  logFilterSchema,
  type AuthMode,
  type LogFilter,
  type LogFilterInput,
} from '../admin-log-filter.ts';

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

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

/** A server a mail app should be set up with (from the app's configuration), shown beside a new app password. */
export const mailServerSchema = z.object({
  protocol: z.enum(['imap', 'pop3', 'smtp']),
  host: z.string(),
  port: z.number().int().min(1).max(65535),
});
export type MailServer = z.infer<typeof mailServerSchema>;

export const createAppPassword = endpoint({
  method: 'POST',
  path: '/api/app-passwords',
  tag: 'app-passwords',
  summary: 'Create an app password; its value is in this response and nowhere else, ever',
  body: z.strictObject({ name: methodLabelSchema }),
  guard: guards.signedInChanging,
  response: z.object({ item: appPasswordSummarySchema, password: z.string(), mailServers: z.array(mailServerSchema) }),
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

/**
 * The header in which nginx (`auth_http_header`) and the Dovecot checkpassword
 * helper send the shared secret (`MAIL_AUTH_SECRET`) to the mail sign-in endpoints.
 */
export const MAIL_AUTH_SECRET_HEADER = 'x-mail-auth-secret';

/**
 * nginx's mail proxy asks this about every IMAP, POP3 and SMTP login
 * (`auth_http`). Everything travels in headers, both ways: `Auth-User`,
 * `Auth-Pass` (URL-encoded by nginx), `Auth-Method`, `Auth-Protocol`,
 * `Auth-Login-Attempt` and `Client-IP` in; `Auth-Status: OK` with
 * `Auth-Server`/`Auth-Port`, or `Auth-Status: <message>` (with `Auth-Wait`
 * when throttled) out. The body is empty.
 */
export const nginxMailAuth = endpoint({
  method: 'GET',
  path: '/legacy/v1/nginx-mail-auth',
  tag: 'legacy',
  summary: 'nginx mail auth_http: the login in Auth-* headers → Auth-Status (and the backend, or Auth-Wait) in headers',
  response: z.object({}),
});

export const mailAuthDenials = ['invalid_credentials', 'app_password_required', 'app_passwords_disabled', 'too_many_attempts'] as const;

/** The Dovecot checkpassword helper (`bin/secinfo-checkpassword`) asks this about each login. */
export const mailAuthCheck = endpoint({
  method: 'POST',
  path: '/legacy/v1/mail-auth',
  tag: 'legacy',
  summary: 'User name + app password from a mail server → ok with the user name, or denied with a code',
  csrfExempt: true,
  // Lenient on purpose: whatever a mail client typed is a login to refuse, not a malformed request.
  body: z.strictObject({
    username: z.string().max(256),
    password: z.string().max(1024),
    /** The mail client's address as the mail server saw it. */
    clientIp: z.union([z.ipv4(), z.ipv6()]).optional(),
  }),
  response: z.discriminatedUnion('result', [
    z.object({ result: z.literal('ok'), username: z.string() }),
    z.object({
      result: z.literal('denied'),
      code: z.enum(mailAuthDenials),
      legacyCode: z.string().optional(),
      retryAfterSeconds: z.number().int().positive().optional(),
    }),
  ]),
});

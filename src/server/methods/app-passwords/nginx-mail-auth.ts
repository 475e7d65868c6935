import { z } from 'zod';
import { mailProtocols, type HostPort } from '../../core/mail-settings.ts';
import { APP_PASSWORD_REQUIRED_CODE, type LegacySignInResult } from './legacy-sign-in.ts';

/**
 * nginx's mail `auth_http` protocol (docs/reference.md#mail-servers): what
 * nginx sends, and the headers of the answer it understands.
 */
export const nginxAuthHeadersSchema = z.object({
  'auth-method': z.string().max(32).default(''),
  // Whatever the mail client typed (Node's header limit bounds it): a login to refuse, never a bad request.
  'auth-user': z.string().default(''),
  'auth-pass': z.string().default(''),
  'auth-protocol': z.enum(mailProtocols),
  'auth-login-attempt': z.coerce.number().int().min(1).max(1_000_000).default(1),
  'client-ip': z.union([z.ipv4(), z.ipv6()]),
});
export type NginxAuthHeaders = z.output<typeof nginxAuthHeadersSchema>;

/**
 * nginx URL-encodes the user name and password it passes on (space, "%" and
 * control and non-ASCII bytes become %XX); "+" stays "+". Decoded byte-wise,
 * then read as UTF-8.
 */
export function decodeNginxEscaped(value: string): string {
  const raw = Buffer.from(value, 'latin1');
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = raw.subarray(i + 1, i + 3).toString('latin1');
    if (raw[i] === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(raw[i]!);
    }
  }
  return Buffer.from(out).toString('utf8');
}

/**
 * Longest Auth-Wait we ask for: nginx holds the client's connection that long
 * before it shows the error. The app keeps refusing for the whole back-off
 * anyway, so a longer wait would only tie up connections.
 */
export const MAX_AUTH_WAIT_SECONDS = 60;
/**
 * nginx keeps memory for every attempt in a session until it ends, and its
 * documentation asks auth servers to stop sending Auth-Wait (which keeps the
 * connection open for another try) after 10 to 20 attempts.
 */
export const LAST_ATTEMPT_WITH_WAIT = 10;

export type NginxAnswer = Record<string, string>;

/** RFC 4954: 535 5.7.8 bad credentials, 454 4.7.0 try again later, 504 5.5.4 mechanism not supported. */
const SMTP_BAD_CREDENTIALS = '535 5.7.8';
const SMTP_TRY_LATER = '454 4.7.0';

/**
 * The messages a mail app shows its user (nginx puts them after IMAP's "NO",
 * POP3's "-ERR" and the SMTP code). Mail protocols have no language of the
 * request, so they are in English, like the servers' own messages.
 */
export const nginxMessages = {
  invalid_credentials: 'Invalid user name or app password',
  app_password_required: `This account uses two-step verification: use an app password, not your account password (${APP_PASSWORD_REQUIRED_CODE})`,
  app_passwords_disabled: 'App passwords are turned off by your organisation',
  throttled: (seconds: number) => `Too many failed sign-ins, try again in ${seconds} seconds`,
  unsupported_method: 'Authentication method not supported, use a plain password login',
  no_backend: 'This mail service is not available here',
} as const;

export function unsupportedMethodAnswer(): NginxAnswer {
  return { 'Auth-Status': nginxMessages.unsupported_method, 'Auth-Error-Code': '504 5.5.4' };
}

export function noBackendAnswer(): NginxAnswer {
  return { 'Auth-Status': nginxMessages.no_backend, 'Auth-Error-Code': SMTP_TRY_LATER };
}

/** nginx's answer for the shared verification's result. */
export function nginxAnswerFor(result: LegacySignInResult, request: NginxAuthHeaders, backend: HostPort): NginxAnswer {
  switch (result.outcome) {
    case 'success':
      // The canonical user name, so the backend finds the same mailbox however the client typed it.
      return { 'Auth-Status': 'OK', 'Auth-Server': backend.host, 'Auth-Port': String(backend.port), 'Auth-User': result.user.username };
    case 'throttled': {
      const seconds = Math.max(1, Math.ceil(result.retryAfterSeconds));
      const answer: NginxAnswer = { 'Auth-Status': nginxMessages.throttled(seconds), 'Auth-Error-Code': SMTP_TRY_LATER };
      if (request['auth-login-attempt'] < LAST_ATTEMPT_WITH_WAIT) answer['Auth-Wait'] = String(Math.min(seconds, MAX_AUTH_WAIT_SECONDS));
      return answer;
    }
    case 'denied':
      return { 'Auth-Status': nginxMessages[result.reason], 'Auth-Error-Code': SMTP_BAD_CREDENTIALS };
  }
}

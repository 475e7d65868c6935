import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { mailSettings, mailSettingsEnv, type MailSettings } from './mail-settings.ts';
import { senderDomain } from './mail/compose.ts';

const booleanish = z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['on', 'true', '1', 'yes'].includes(v));

/** Every setting the server reads from its environment, validated once at start. */
const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The origin users see; WebAuthn's relying party and the CSRF origin check use it. */
  PUBLIC_ORIGIN: z.url().optional(),
  DATA_DIR: z.string().default('data'),
  /** PostgreSQL (`postgres://…`); SQLite in DATA_DIR when absent (one instance only). */
  // Empty (`DATABASE_URL=` in an environment file) means unset, as it did before the URL was checked.
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .url()
      .refine((v) => !URL.canParse(v) || /^postgres(ql)?:$/.test(new URL(v).protocol), 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  /** Base64 32-byte master key; generated into DATA_DIR on first run when absent (not in production). */
  SECRET_KEY: z.string().optional(),
  DEMO_DATA: booleanish.optional(),
  SERVER_NAME: z.string().default(hostname()),
  TRUST_PROXY: booleanish.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ISSUER: z.string().default('Security Info'),
  /** WebAuthn relying-party ID: a registrable domain suffix of the origin (WebAuthn L3 §5.1.3). */
  RP_ID: z.string().optional(),
  /** Comma-separated origins WebAuthn responses may come from. */
  WEBAUTHN_ORIGINS: z.string().optional(),
  SMS_PROVIDER: z.enum(['outbox', 'http', 'twilio']).default('outbox'),
  SMS_HTTP_URL: z.url().optional(),
  SMS_HTTP_TOKEN: z.string().optional(),
  ...mailSettingsEnv,
  TWILIO_ACCOUNT_SID: z.string().optional(),
  /** An auth token, or an API key secret when TWILIO_API_KEY_SID is set. */
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_API_KEY_SID: z.string().optional(),
  /** The sending number (E.164) or a messaging service SID (MG…); calls need a number. */
  TWILIO_FROM: z.string().optional(),
  TWILIO_API_URL: z.url().default('https://api.twilio.com'),
  /** `smtp://user:pass@host:587` (STARTTLS required) or `smtps://user:pass@host:465`. */
  SMTP_URL: z.url().optional(),
  /** `off` sends without TLS: only for a relay on the same host or network. */
  SMTP_TLS: booleanish.default(true),
  /** The sender of notices, e.g. `Security Info <security@example.org>`; its domain names Message-IDs. */
  MAIL_FROM: z.string().optional(),
  /** How long a worker's claim on a message holds before another instance may take it over. */
  MAIL_CLAIM_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  /** Serves /metrics on this port of its own (on METRICS_HOST), away from the public one. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** Serves /metrics on the public port too, to whoever sends `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** How long a stopping instance lets requests in flight finish before it closes their connections. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
});

/** A zod failure as one line naming the variable, for the service log. */
function oneLine(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

export interface Config {
  production: boolean;
  host: string;
  port: number;
  publicOrigin: string;
  secureCookies: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  sqlitePath: string;
  keyFile: string;
  secretKey: string | undefined;
  demoData: boolean;
  devTools: boolean;
  serverName: string;
  trustProxy: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  issuer: string;
  webauthn: { rpId: string; rpName: string; origins: string[] };
  sms: SmsConfig;
  /** The mail-server sign-in endpoints (nginx `auth_http`, Dovecot checkpassword) and what the help shows. */
  mail: MailSettings;
  /** Where e-mail notices go: SMTP, or the dev outbox. */
  outgoingMail: OutgoingMailConfig;
  /** Where /metrics is served: its own port, and/or the public port behind a bearer token; neither when both absent. */
  metrics: { port: number | undefined; host: string; token: string | undefined };
  shutdownGraceMs: number;
}

export type SmsConfig =
  | { provider: 'outbox' }
  | { provider: 'http'; url: string; token: string }
  | { provider: 'twilio'; apiUrl: string; accountSid: string; username: string; password: string; from: string };

export type OutgoingMailConfig = {
  from: string;
  /** The organisation's domain, on which Message-IDs are made. */
  domain: string;
  claimSeconds: number;
} & ({ transport: 'outbox' } | { transport: 'smtp'; url: string; tls: 'required' | 'off' });

type Env = z.infer<typeof envSchema>;

/** The value of a variable a setting needs; throws naming it when it is absent. */
function need(
  e: Env,
  name: 'SMS_HTTP_URL' | 'SMS_HTTP_TOKEN' | 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_FROM' | 'MAIL_FROM',
  because: string,
): string {
  const value = e[name];
  if (!value) throw new Error(`${because} needs ${name}`);
  return value;
}

function smsConfig(e: Env, production: boolean): SmsConfig {
  if (e.SMS_PROVIDER === 'http') {
    const because = 'SMS_PROVIDER=http';
    return { provider: 'http', url: need(e, 'SMS_HTTP_URL', because), token: need(e, 'SMS_HTTP_TOKEN', because) };
  }
  if (e.SMS_PROVIDER === 'twilio') {
    const because = 'SMS_PROVIDER=twilio';
    const accountSid = need(e, 'TWILIO_ACCOUNT_SID', because);
    return {
      provider: 'twilio',
      apiUrl: e.TWILIO_API_URL.replace(/\/$/, ''),
      accountSid,
      // Twilio accepts the account SID and auth token, or an API key SID and its secret (HTTP Basic).
      username: e.TWILIO_API_KEY_SID ?? accountSid,
      password: need(e, 'TWILIO_AUTH_TOKEN', because),
      from: need(e, 'TWILIO_FROM', because),
    };
  }
  // The outbox only stores messages; in production nobody would receive them.
  if (production) throw new Error('NODE_ENV=production needs SMS_PROVIDER (http or twilio): the outbox reaches nobody');
  return { provider: 'outbox' };
}

function outgoingMailConfig(e: Env, production: boolean, publicOrigin: string): OutgoingMailConfig {
  const claimSeconds = e.MAIL_CLAIM_SECONDS;
  if (!e.SMTP_URL) {
    if (production) throw new Error('NODE_ENV=production needs SMTP_URL: the outbox reaches nobody');
    const domain = new URL(publicOrigin).hostname;
    return { transport: 'outbox', from: e.MAIL_FROM ?? `${e.ISSUER} <no-reply@${domain}>`, domain, claimSeconds };
  }
  const from = need(e, 'MAIL_FROM', 'SMTP_URL');
  const domain = senderDomain(from);
  if (!domain) throw new Error('MAIL_FROM must be an address such as "Security Info <security@example.org>"');
  if (!/^smtps?:$/.test(new URL(e.SMTP_URL).protocol)) throw new Error('SMTP_URL must start with smtp:// or smtps://');
  return { transport: 'smtp', url: e.SMTP_URL, tls: e.SMTP_TLS ? 'required' : 'off', from, domain, claimSeconds };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(oneLine(parsed.error));
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const publicOrigin = (e.PUBLIC_ORIGIN ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  if (production && !e.SECRET_KEY) throw new Error('SECRET_KEY is required when NODE_ENV=production');
  // Secure cookies and WebAuthn need the origin users really see, and it must be HTTPS.
  if (production && !e.PUBLIC_ORIGIN?.startsWith('https://')) {
    throw new Error('NODE_ENV=production needs PUBLIC_ORIGIN, an https:// origin (the address users see)');
  }
  const sms = smsConfig(e, production);
  const outgoingMail = outgoingMailConfig(e, production, publicOrigin);
  const dataDir = resolve(e.DATA_DIR);
  return {
    production,
    host: e.HOST,
    port: e.PORT,
    publicOrigin,
    secureCookies: publicOrigin.startsWith('https://'),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sqlitePath: join(dataDir, 'secinfo.sqlite'),
    keyFile: join(dataDir, 'secret.key'),
    secretKey: e.SECRET_KEY,
    demoData: e.DEMO_DATA ?? !production,
    devTools: !production,
    serverName: e.SERVER_NAME,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    issuer: e.ISSUER,
    webauthn: {
      rpId: e.RP_ID ?? new URL(publicOrigin).hostname,
      rpName: e.ISSUER,
      origins: (e.WEBAUTHN_ORIGINS ?? publicOrigin)
        .split(',')
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter(Boolean),
    },
    sms,
    mail: mailSettings(e),
    outgoingMail,
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST, token: e.METRICS_TOKEN },
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
  };
}

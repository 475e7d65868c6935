import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { mailSettings, mailSettingsEnv, type MailSettings } from './mail-settings.ts';

const booleanish = z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['on', 'true', '1', 'yes'].includes(v));

/** Every setting the server reads from its environment, validated once at start. */
const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The origin users see; WebAuthn's relying party and the CSRF origin check use it. */
  PUBLIC_ORIGIN: z.url().optional(),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: z.string().optional(),
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
  SMS_PROVIDER: z.enum(['outbox', 'http']).default('outbox'),
  SMS_HTTP_URL: z.url().optional(),
  SMS_HTTP_TOKEN: z.string().optional(),
  ...mailSettingsEnv,
});

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
  sms: { provider: 'outbox' } | { provider: 'http'; url: string; token: string };
  /** The mail-server sign-in endpoints (nginx `auth_http`, Dovecot checkpassword) and what the help shows. */
  mail: MailSettings;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = envSchema.parse(env);
  const production = e.NODE_ENV === 'production';
  const publicOrigin = (e.PUBLIC_ORIGIN ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  if (production && !e.SECRET_KEY) throw new Error('SECRET_KEY is required when NODE_ENV=production');
  let sms: Config['sms'] = { provider: 'outbox' };
  if (e.SMS_PROVIDER === 'http') {
    if (!e.SMS_HTTP_URL || !e.SMS_HTTP_TOKEN) throw new Error('SMS_PROVIDER=http needs SMS_HTTP_URL and SMS_HTTP_TOKEN');
    sms = { provider: 'http', url: e.SMS_HTTP_URL, token: e.SMS_HTTP_TOKEN };
  } else if (production) {
    // The outbox only stores messages; in production nobody would receive them.
    throw new Error('NODE_ENV=production needs a real SMS provider (SMS_PROVIDER=http)');
  }
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
  };
}

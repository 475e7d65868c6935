import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const production = {
  NODE_ENV: 'production',
  SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
  PUBLIC_ORIGIN: 'https://security.example.org',
  SMTP_URL: 'smtp://mailer:secret@mail.example.org:587',
  MAIL_FROM: 'Security Info <security@example.org>',
  SMS_PROVIDER: 'twilio',
  TWILIO_ACCOUNT_SID: 'AC123',
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+15005550006',
};
const without = (name: keyof typeof production) => Object.fromEntries(Object.entries(production).filter(([k]) => k !== name));

describe('loadConfig: delivery', () => {
  it('takes SMTP with STARTTLS required and Twilio in production', () => {
    const config = loadConfig(production);
    expect(config.outgoingMail).toMatchObject({ transport: 'smtp', tls: 'required', domain: 'example.org' });
    expect(config.sms).toMatchObject({ provider: 'twilio', username: 'AC123', password: 'token', apiUrl: 'https://api.twilio.com' });
  });

  it('refuses to start in production without a mail server or an SMS provider, naming the variable', () => {
    expect(() => loadConfig(without('SMTP_URL'))).toThrow(/SMTP_URL/);
    expect(() => loadConfig(without('MAIL_FROM'))).toThrow(/needs MAIL_FROM/);
    expect(() => loadConfig(without('SMS_PROVIDER'))).toThrow(/SMS_PROVIDER/);
    expect(() => loadConfig(without('TWILIO_AUTH_TOKEN'))).toThrow(/needs TWILIO_AUTH_TOKEN/);
    expect(() => loadConfig({ ...production, SMS_PROVIDER: 'http' })).toThrow(/needs SMS_HTTP_URL/);
  });

  it('sends without TLS only when told SMTP_TLS=off, and with TLS from the start for smtps://', () => {
    expect(loadConfig({ ...production, SMTP_TLS: 'off' }).outgoingMail).toMatchObject({ tls: 'off' });
    expect(() => loadConfig({ ...production, SMTP_URL: 'http://mail.example.org' })).toThrow(/smtp:\/\//);
  });

  it('uses the outbox in development, with Message-IDs on the public origin’s host', () => {
    const config = loadConfig({ NODE_ENV: 'development', PUBLIC_ORIGIN: 'http://localhost:5173' });
    expect(config.outgoingMail).toMatchObject({ transport: 'outbox', domain: 'localhost' });
    expect(config.sms).toEqual({ provider: 'outbox' });
  });
});

describe('loadConfig: a production start', () => {
  it('needs an https PUBLIC_ORIGIN, naming it', () => {
    expect(() => loadConfig(without('PUBLIC_ORIGIN'))).toThrow(/PUBLIC_ORIGIN/);
    expect(() => loadConfig({ ...production, PUBLIC_ORIGIN: 'http://security.example.org' })).toThrow(/PUBLIC_ORIGIN, an https/);
  });

  it('names a malformed setting in one line', () => {
    for (const [name, value] of [
      ['PORT', 'eighty'],
      ['DATABASE_URL', 'mysql://db.example.org/secinfo'],
      ['METRICS_PORT', '0'],
    ] as const) {
      let message = '';
      try {
        loadConfig({ ...production, [name]: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(new RegExp(`^${name}: `));
      expect(message).not.toContain('\n');
    }
  });

  it('takes where /metrics is served and how long a stop may take', () => {
    const config = loadConfig({ ...production, METRICS_PORT: '9464', METRICS_TOKEN: 'a-long-enough-token' });
    expect(config.metrics).toEqual({ port: 9464, host: '127.0.0.1', token: 'a-long-enough-token' });
    expect(config.shutdownGraceMs).toBe(10_000);
  });
});

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

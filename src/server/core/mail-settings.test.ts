import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).mail;

describe('mail settings', () => {
  it('are off by default, with loopback as the only allowed caller', () => {
    expect(load({})).toEqual({ authSecret: undefined, allowedIps: ['127.0.0.1', '::1'], backends: {}, clientServers: [] });
  });

  it('read backends per protocol and the servers mail apps are told about', () => {
    const mail = load({
      MAIL_AUTH_SECRET: 'x'.repeat(32),
      MAIL_AUTH_ALLOWED_IPS: '10.0.0.0/8, fd00::/8',
      MAIL_BACKEND_IMAP: '10.0.0.5:143',
      MAIL_BACKEND_SMTP: '[fd00::25]:587',
      MAIL_CLIENT_IMAP: 'mail.example.org:993',
      MAIL_CLIENT_SMTP: 'smtp.example.org:587',
    });
    expect(mail.backends).toEqual({ imap: { host: '10.0.0.5', port: 143 }, smtp: { host: 'fd00::25', port: 587 } });
    expect(mail.clientServers).toEqual([
      { protocol: 'imap', host: 'mail.example.org', port: 993 },
      { protocol: 'smtp', host: 'smtp.example.org', port: 587 },
    ]);
    expect(mail.allowedIps).toEqual(['10.0.0.0/8', 'fd00::/8']);
  });

  it('stop the start on a mistake rather than guess', () => {
    expect(() => load({ MAIL_AUTH_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => load({ MAIL_AUTH_ALLOWED_IPS: 'localhost' })).toThrow(/not an IP/);
    expect(() => load({ MAIL_AUTH_ALLOWED_IPS: '10.0.0.0/33' })).toThrow(/prefix/);
    // nginx does not resolve Auth-Server names.
    expect(() => load({ MAIL_BACKEND_IMAP: 'imap.internal:143' })).toThrow(/IP address/);
    expect(() => load({ MAIL_CLIENT_IMAP: 'mail.example.org' })).toThrow(/host:port/);
    expect(() => load({ MAIL_CLIENT_SMTP: 'mail.example.org:70000' })).toThrow(/host:port/);
  });
});

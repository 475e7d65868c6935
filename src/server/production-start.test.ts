import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, startServerProcess } from './test-support/server-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'secinfo-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const production = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  DATA_DIR: dir,
  PORT: '0',
  SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
  PUBLIC_ORIGIN: 'https://security.example.org',
};

describe('a production start without real delivery', () => {
  it('refuses without a mail server, naming SMTP_URL', async () => {
    const server = startServerProcess({
      ...production,
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: 'https://sms.example.org',
      SMS_HTTP_TOKEN: 't',
    });
    expect(await exitOf(server)).toBe(1);
    expect(server.stderrText()).toMatch(/^Not starting: .*SMTP_URL/m);
  });

  it('refuses without an SMS provider, naming SMS_PROVIDER', async () => {
    const server = startServerProcess({
      ...production,
      SMTP_URL: 'smtp://mail.example.org:587',
      MAIL_FROM: 'Security <security@example.org>',
    });
    expect(await exitOf(server)).toBe(1);
    expect(server.stderrText()).toMatch(/^Not starting: .*SMS_PROVIDER/m);
  });
});

describe('a production start with a malformed setting', () => {
  it('stops with one line naming it', async () => {
    const server = startServerProcess({
      ...production,
      SMTP_URL: 'smtp://mail.example.org:587',
      MAIL_FROM: 'Security <security@example.org>',
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: 'https://sms.example.org',
      SMS_HTTP_TOKEN: 't',
      DATABASE_URL: 'not a url',
    });
    expect(await exitOf(server)).toBe(1);
    expect(server.stderrText().trim()).toMatch(/^Not starting: DATABASE_URL: [^\n]*$/);
  });
});

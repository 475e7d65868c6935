import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// WebAuthn needs a secure context; http://localhost is one, 127.0.0.1 is not for every RP check.
const port = Number(process.env.E2E_PORT ?? 8181);
const origin = `http://localhost:${port}`;
// Debian's Chromium where it is installed (Playwright cannot download its own browser here);
// elsewhere Playwright's own browser.
const debianChromium = '/usr/bin/chromium';
const dataDir = `.tmp/e2e-data-${port}`;
/** Specs that change the organisation policy (see the `policy` project below). */
const CHANGES_POLICY = /(app-passwords|organisation-policy|password-reset|stronger-methods)\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  // A short test (one sign-in, one page, an axe check) takes up to about 16 s on a quiet 2-core
  // machine with two workers, and three times as long when another test suite shares the machine;
  // 60 s keeps it within half of its budget when quiet and lets it finish when busy. Longer
  // journeys set their own timeout, with the reason beside it.
  timeout: 60_000,
  // Waits are on what the page shows; 15 s covers an Argon2 sign-in on a loaded machine.
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: origin,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: existsSync(debianChromium) ? debianChromium : undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'desktop',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } },
      grepInvert: /@phone-only/,
      testIgnore: CHANGES_POLICY,
    },
    {
      name: 'phone',
      use: { ...devices['Desktop Chrome'], viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
      grep: /@phone/,
      testIgnore: CHANGES_POLICY,
    },
    {
      // The organisation policy is one row every test shares: the specs that change it run after
      // the rest, one at a time, so no other test ever sees a policy it did not expect.
      name: 'policy',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } },
      testMatch: CHANGES_POLICY,
      dependencies: ['desktop', 'phone'],
      workers: 1,
    },
  ],
  webServer: {
    command: `node -e "require('fs').rmSync('${dataDir}',{recursive:true,force:true})" && node dist/server/main.js`,
    url: `${origin}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: 'localhost',
      NODE_ENV: 'test',
      DATA_DIR: dataDir,
      DEMO_DATA: 'on',
      PUBLIC_ORIGIN: origin,
      LOG_LEVEL: 'warn',
      // The mail servers the app-password help names.
      MAIL_CLIENT_IMAP: 'mail.example.test:993',
      MAIL_CLIENT_SMTP: 'mail.example.test:587',
    },
  },
});

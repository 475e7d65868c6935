/**
 * JavaScript for a cold visit to Security info after sign-in: the built client
 * (dist/client, served by the built server) opened in Chromium with an empty
 * cache and a signed-in session, every script it loads counted as gzip (level
 * 9) of the bytes served, as e2e/page-weight.spec.ts counts them. The yardstick
 * is bench/yardstick-page (the same React, react-router and i18next, one page),
 * built in this run into a temporary directory and counted the same way.
 * Run alone with `npx tsx bench/page-weight.ts` after `npm run build`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { dev, session } from '../src/shared/api/index.ts';
import { totpCode } from '../src/server/methods/authenticator/totp.ts';
import { assertBuilt, builtServer, repoRoot, spawnUntilHealthy } from './lib/process.ts';
import type { BenchRow } from './lib/rows.ts';
import { isMain, printRows } from './lib/table.ts';

const KB = 1024;
const gzipBytes = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

/** Every script of the one-page yardstick, built now with the versions installed. */
async function yardstickBytes(): Promise<{ gzip: number; files: number }> {
  const outDir = mkdtempSync(join(tmpdir(), 'secinfo-bench-yardstick-'));
  try {
    await build({
      root: join(repoRoot, 'bench/yardstick-page'),
      configFile: false,
      logLevel: 'silent',
      plugins: [react()],
      build: { outDir, emptyOutDir: true, target: 'es2022' },
    });
    const scripts = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    return { gzip: scripts.reduce((n, f) => n + gzipBytes(readFileSync(join(outDir, 'assets', f))), 0), files: scripts.length };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** A session cookie of a user signed in with password and authenticator app, made over the API. */
async function signedInCookie(origin: string): Promise<{ name: string; value: string }> {
  const post = (path: string, body: unknown, cookie?: string, csrfToken?: string) =>
    fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify(body),
    });
  const created = await post(dev.createTestUser.path, { withAuthenticator: true });
  const user = (await created.json()) as { username: string; password: string; totpSecret: string };
  let cookie: string | undefined;
  let csrfToken: string | undefined;
  const keep = async (res: Response) => {
    if (res.status !== 200) throw new Error(`${res.url} answered ${res.status}`);
    cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? cookie;
    csrfToken = ((await res.json()) as { csrfToken?: string }).csrfToken ?? csrfToken;
  };
  await keep(await fetch(`${origin}${session.getSession.path}`));
  await keep(await post(session.signIn.path, { username: user.username, password: user.password }, cookie, csrfToken));
  await keep(await post(session.verifyTotp.path, { code: totpCode(user.totpSecret, Date.now()) }, cookie, csrfToken));
  const [name, value] = cookie!.split('=') as [string, string];
  return { name, value };
}

/** Every script a cold visit to /security-info loads, signed in. */
async function appBytes(): Promise<{ gzip: number; files: number }> {
  if (!existsSync(join(repoRoot, 'dist/client/index.html'))) throw new Error('dist/client is missing: run `npm run build` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'secinfo-bench-page-'));
  const server = await spawnUntilHealthy({
    args: [builtServer],
    env: { NODE_ENV: 'test', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', DEMO_DATA: 'off' },
    healthPath: '/api/health',
  });
  const debianChromium = '/usr/bin/chromium';
  const browser = await chromium.launch({
    executablePath: existsSync(debianChromium) ? debianChromium : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const origin = `http://127.0.0.1:${server.port}`;
    const cookie = await signedInCookie(origin);
    const context = await browser.newContext();
    await context.addCookies([{ ...cookie, url: origin }]);
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.add(r.url());
    });
    await page.goto(`${origin}/security-info`);
    await page.getByRole('heading', { name: 'Security info', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    let gzip = 0;
    for (const url of scripts) gzip += gzipBytes(await (await page.request.get(url)).body());
    return { gzip, files: scripts.size };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function pageWeightRows(): Promise<BenchRow[]> {
  assertBuilt();
  const yardstick = await yardstickBytes();
  const app = await appBytes();
  return [
    {
      figure: `JavaScript for a cold visit to Security info after sign-in, gzip (${app.files} scripts; yardstick ${yardstick.files})`,
      app: app.gzip / KB,
      yardstick: yardstick.gzip / KB,
      unit: 'KiB',
      ratio: app.gzip / yardstick.gzip,
      goal: { on: 'app', atMost: 135 },
    },
  ];
}

if (isMain(import.meta.url)) printRows(await pageWeightRows());

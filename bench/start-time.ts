/**
 * Server start: time from spawning `node dist/server/main.js` (production
 * settings, SQLite on a fresh data directory) to its first 200 on
 * /api/health, and its resident memory then and after 1,000 requests; against
 * a bare `node -e` HTTP server measured the same way in the same run.
 * Run alone with `npx tsx bench/start-time.ts` after `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { assertBuilt, builtServer, cpuSecondsOf, median, productionEnv, rssOf, spawnUntilHealthy, type Started } from './lib/process.ts';
import type { BenchRow } from './lib/rows.ts';
import { isMain, printRows } from './lib/table.ts';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const REQUESTS = 1_000;
const CONCURRENCY = 10;
const MB = 1024 * 1024;

const BARE_SERVER = `require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
}).listen(Number(process.env.PORT), '127.0.0.1');`;

/** 1,000 GETs of the health URL, ten at a time over keep-alive connections, each answered 200. */
async function hammer(port: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const one = () =>
    new Promise<void>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, path: '/api/health', agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`health answered ${res.statusCode}`))));
      });
      req.on('error', fail);
      req.end();
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        sent++;
        await one();
      }
    }),
  );
  agent.destroy();
}

interface StartFigures {
  startMs: number;
  /** CPU time the process used until it answered: steadier than the wall clock on a busy machine. */
  cpuStart: number;
  rssStart: number;
  rssAfter: number;
}

async function measure(start: () => Promise<Started>): Promise<StartFigures> {
  const server = await start();
  try {
    const pid = server.child.pid!;
    const cpuStart = cpuSecondsOf(pid);
    const rssStart = rssOf(pid);
    await hammer(server.port);
    return { startMs: server.startMs, cpuStart, rssStart, rssAfter: rssOf(pid) };
  } finally {
    await server.stop();
  }
}

/** The app on a database an earlier start has migrated, as on every restart after the first. */
function startApp(dataDir: string): Promise<Started> {
  return spawnUntilHealthy({ args: [builtServer], env: { ...productionEnv(dataDir), LOG_LEVEL: 'info' }, healthPath: '/api/health' });
}

const startBare = () => spawnUntilHealthy({ args: ['-e', BARE_SERVER], healthPath: '/api/health' });

export async function startTimeRows(): Promise<BenchRow[]> {
  assertBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'secinfo-bench-start-'));
  const app: StartFigures[] = [];
  const bare: StartFigures[] = [];
  try {
    // The first start creates and migrates the database; it is not counted.
    await (await startApp(dataDir)).stop();
    // Alternated, so a burst of load on the machine falls on both.
    for (let i = 0; i < RUNS; i++) {
      app.push(await measure(() => startApp(dataDir)));
      bare.push(await measure(startBare));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const m = (runs: StartFigures[], key: keyof StartFigures) => median(runs.map((r) => r[key]));
  const rows: BenchRow[] = [];
  const startApp_ = m(app, 'startMs') / 1000;
  const startBare_ = m(bare, 'startMs') / 1000;
  rows.push({
    figure: `server start to first 200 on /api/health (median of ${RUNS})`,
    app: startApp_,
    yardstick: startBare_,
    unit: 's',
    ratio: startApp_ / startBare_,
    // The issue asks for 0.5 s where the bare server took 0.14 s on a quiet machine: as a ratio, 3.57 ×,
    // which holds on a busy machine too, where both take longer.
    goal: { on: 'ratio', atMost: 3.57 },
  });
  rows.push({
    figure: 'CPU time to the first 200',
    app: m(app, 'cpuStart'),
    yardstick: m(bare, 'cpuStart'),
    unit: 's',
    ratio: m(app, 'cpuStart') / m(bare, 'cpuStart'),
  });
  rows.push({
    figure: 'RSS at the first 200',
    app: m(app, 'rssStart') / MB,
    yardstick: m(bare, 'rssStart') / MB,
    unit: 'MB',
    ratio: m(app, 'rssStart') / m(bare, 'rssStart'),
  });
  rows.push({
    figure: `RSS after ${REQUESTS.toLocaleString('en')} requests`,
    app: m(app, 'rssAfter') / MB,
    yardstick: m(bare, 'rssAfter') / MB,
    unit: 'MB',
    ratio: m(app, 'rssAfter') / m(bare, 'rssAfter'),
    goal: { on: 'app', atMost: 110 },
  });
  return rows;
}

if (isMain(import.meta.url)) {
  printRows(await startTimeRows());
}

/**
 * Processes measured from outside, as an operator would see them: the built
 * server (`node dist/server/main.js`, what `npm start` and the systemd unit
 * run) or a yardstick script, their CPU time and resident memory read from
 * /proc, and the time from spawn to the first 200 on a URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { freePort } from '../../src/server/test-support/mail-servers.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');
/** BENCH_SERVER measures another build (e.g. the one before a change) against the same yardstick. */
export const builtServer = resolve(process.env.BENCH_SERVER ?? resolve(repoRoot, 'dist/server/main.js'));

/** A production configuration that starts without reaching anything: mail and SMS go to addresses never contacted at start. */
export function productionEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    PUBLIC_ORIGIN: 'https://security.example.org',
    SMTP_URL: 'smtp://127.0.0.1:9',
    MAIL_FROM: 'Security <security@example.org>',
    SMS_PROVIDER: 'http',
    SMS_HTTP_URL: 'https://sms.example.org',
    SMS_HTTP_TOKEN: 'bench',
  };
}

export function assertBuilt(): void {
  if (!existsSync(builtServer)) throw new Error('dist/server/main.js is missing: run `npm run build` first');
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface CpuUse {
  /** User and system CPU seconds, all threads. */
  user: number;
  system: number;
  /** Page faults served without I/O: a process that keeps mapping fresh memory makes many. */
  minorFaults: number;
  /**
   * User and system CPU seconds of the main thread alone (the event loop, where JavaScript runs);
   * the rest is libuv's pool (Argon2, zlib), V8's helpers (GC, compiling) and any worker.
   */
  mainThread: number;
}

/** The fields after the command name of a `/proc/.../stat` line. */
function statFields(path: string): string[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** What the process has used so far (`/proc/<pid>/stat`; `self` for this process). */
export function cpuUseOf(pid: number | 'self'): CpuUse {
  const fields = statFields(`/proc/${pid}/stat`);
  // The main thread's id is the process id.
  const main = statFields(`/proc/${pid}/task/${pid === 'self' ? process.pid : pid}/stat`);
  return {
    user: Number(fields[11]) / TICKS_PER_SECOND,
    system: Number(fields[12]) / TICKS_PER_SECOND,
    minorFaults: Number(fields[7]),
    mainThread: (Number(main[11]) + Number(main[12])) / TICKS_PER_SECOND,
  };
}

/** CPU seconds (user + system, all threads) the process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const use = cpuUseOf(pid);
  return use.user + use.system;
}

export function cpuUseBetween(before: CpuUse, after: CpuUse): CpuUse {
  return {
    user: after.user - before.user,
    system: after.system - before.system,
    minorFaults: after.minorFaults - before.minorFaults,
    mainThread: after.mainThread - before.mainThread,
  };
}

/** Resident set size in bytes. */
export function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** One GET on loopback; the status, or undefined when nothing answers yet. */
export function getStatus(url: string): Promise<number | undefined> {
  return new Promise((done) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode));
    });
    req.on('error', () => done(undefined));
    req.end();
  });
}

export interface Started {
  child: ChildProcess;
  port: number;
  /** Milliseconds from spawn to the first 200 on the health URL. */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * Spawns `node args` with PORT set to a free port and polls `healthPath` on it
 * every 2 ms until it answers 200. The clock starts just before spawn, so node's
 * own start counts, as it does for an operator.
 */
export async function spawnUntilHealthy(options: { args: string[]; env?: Record<string, string>; healthPath: string }): Promise<Started> {
  const port = await freePort();
  const { DATABASE_URL: _notPassed, ...inherited } = process.env;
  let stderr = '';
  const started = performance.now();
  // BENCH_NODE_ARGS (e.g. --cpu-prof) goes to every process measured, to see where its time goes.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, ...options.args], {
    cwd: repoRoot,
    env: { ...inherited, ...options.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}${options.healthPath}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.args.join(' ')} exited with ${child.exitCode}: ${stderr}`);
    if ((await getStatus(url)) === 200) break;
    if (performance.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`${options.args.join(' ')}: no 200 on ${options.healthPath} in 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const startMs = performance.now() - started;
  return {
    child,
    port,
    startMs,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        // SIGINT lets a profiled process write its profile; SIGKILL if it does not end at once.
        child.kill(nodeArgs.length > 0 ? 'SIGINT' : 'SIGKILL');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

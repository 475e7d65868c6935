/**
 * The app run as an operator runs it: several server processes on one
 * PostgreSQL database, behind nginx configured from `deploy/nginx.conf`.
 * For the multi-instance tests and the throughput benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, makeTempDir, renderTemplate, repoRoot, type Running } from './mail-servers.ts';
import { exitOf } from './server-process.ts';

export const NGINX = '/usr/sbin/nginx';

export interface Instance {
  name: string;
  port: number;
  metricsPort: number;
  child: ChildProcess;
  /** Everything the process wrote (its JSON log lines and any start failure). */
  output(): string;
  exited: Promise<NodeJS.Signals | number | null>;
}

export interface InstanceOptions {
  name: string;
  databaseUrl: string;
  secretKey: string;
  publicOrigin: string;
  port?: number;
  env?: Record<string, string>;
}

/**
 * One server process, in development mode (SMS codes go to the outbox, where
 * the tests read them) but otherwise as in production: its own port, the
 * shared database and secret key, the client address from nginx.
 */
export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const port = options.port ?? (await freePort());
  const metricsPort = await freePort();
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: repoRoot,
    env: {
      ...inherited,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DATA_DIR: makeTempDir('secinfo-instance-'),
      DATABASE_URL: options.databaseUrl,
      SECRET_KEY: options.secretKey,
      PUBLIC_ORIGIN: options.publicOrigin,
      SERVER_NAME: options.name,
      TRUST_PROXY: 'on',
      DEMO_DATA: 'off',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')));
  return { name: options.name, port, metricsPort, child, output: () => output, exited: exitOf(child) };
}

/** Waits until the instance says it is ready (/api/ready 200); throws with its output if it exits first. */
export async function waitReady(instance: Instance, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (instance.child.exitCode !== null) throw new Error(`${instance.name} exited with ${instance.child.exitCode}:\n${instance.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${instance.port}/api/ready`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${instance.name} not ready after ${timeoutMs} ms:\n${instance.output()}`);
}

/**
 * `deploy/nginx.conf` as shipped, but with the upstreams filled in and plain
 * HTTP on a loopback port in place of the TLS listener (no certificate here).
 */
export function nginxSiteForTest(upstreams: string[], listenPort: number, dir: string): string {
  writeFileSync(join(dir, 'proxy-params.conf'), readFileSync(join(repoRoot, 'deploy', 'nginx-proxy-params.conf'), 'utf8'));
  const [first, second, ...more] = upstreams;
  if (!first || !second) throw new Error('nginx.conf has two upstream servers');
  let text = renderTemplate('nginx.conf', { INSTANCE_ONE: first, INSTANCE_TWO: second, PROXY_PARAMS: join(dir, 'proxy-params.conf') });
  for (const extra of more) text = text.replace(`server ${second} `, `server ${second} max_fails=1 fail_timeout=5s;\n    server ${extra} `);
  const lines = text.split('\n');
  const tls = /^\s*(ssl_|http2 |listen \[::\]:443)/;
  const kept = lines.filter((line) => !tls.test(line)).map((line) => line.replace(/listen 443 ssl;/, `listen 127.0.0.1:${listenPort};`));
  // Port 443 as a word: the free ports the test picks (44301, say) may contain the digits.
  if (kept.some((line) => /\b443\b/.test(line))) throw new Error('nginx.conf: a TLS line the test did not replace');
  return kept.join('\n');
}

/** nginx in the foreground with the site above, its temporary files and logs in a directory of its own. */
export async function startNginxProxy(upstreams: string[], port: number): Promise<Running & { origin: string }> {
  const dir = makeTempDir('secinfo-nginx-');
  const logFile = join(dir, 'error.log');
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(join(dir, 'site.conf'), nginxSiteForTest(upstreams, port, dir));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${logFile} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  include ${dir}/site.conf;
}
`,
  );
  const child = spawn(NGINX, ['-p', dir, '-e', logFile, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const log = () => output + (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const exited = exitOf(child);
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited:\n${log()}`);
    // /metrics is answered by nginx itself: a proxied path would count against instances not started yet.
    const up = await fetch(`http://127.0.0.1:${port}/metrics`).then(
      () => true,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    origin: `http://127.0.0.1:${port}`,
    log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Stops an instance (SIGTERM unless told otherwise) and returns how it ended. */
export async function stopInstance(instance: Instance, signal: NodeJS.Signals = 'SIGTERM'): Promise<NodeJS.Signals | number | null> {
  if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill(signal);
  return instance.exited;
}

/** How many requests for `route` the instance has answered, from its /metrics. */
export async function answeredBy(instance: Instance, route: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${instance.metricsPort}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('secinfo_http_requests_total{') && line.includes(`route="${route}"`)) total += Number(line.split(' ').pop());
  }
  return total;
}

/** Waits until nginx sends requests to the instance again (a restarted one stays out until fail_timeout passes). */
export async function waitInRotation(origin: string, instance: Instance, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    await fetch(`${origin}/api/health`).then((r) => r.arrayBuffer());
    if ((await answeredBy(instance, '/api/health')) > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx sent nothing to ${instance.name} in ${timeoutMs} ms`);
}

/**
 * TOTP sign-in throughput through nginx (deploy/nginx.conf) with one server
 * process and with two, on one PostgreSQL database. Each sign-in is what a
 * person does: fetch the session, password (Argon2id), then the app's code;
 * every sign-in is a different user, so no code is replayed. The one-instance
 * run is the yardstick; the figure that matters is two / one. CPU time of each
 * kind of process is read from /proc over each run, to say what the limit is.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { freePort } from '../src/server/test-support/mail-servers.ts';
import { createUserOver, totpSignInOver, withConcurrency } from '../src/server/test-support/service-flows.ts';
import { startInstance, startNginxProxy, stopInstance, waitReady, type Instance } from '../src/server/test-support/service-stack.ts';
import { createTestDatabase } from '../src/server/test-support/test-app.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Users per run; more than the sign-ins a run can make, so none signs in twice. */
const USERS = Number(process.env.BENCH_USERS ?? 700);

const TICK = 100; // USER_HZ on Linux

/** CPU seconds used so far by the processes named `comm` (or the pids given), from /proc. */
function cpuSeconds(match: (pid: number, comm: string) => boolean): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!match(pid, comm)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // The process ended while we looked.
    }
  }
  return ticks / TICK;
}

interface RunResult {
  signInsPerSecond: number;
  failed: number;
  cpu: Record<string, number>;
}

async function run(
  origin: string,
  users: Array<{ username: string; password: string; totpSecret: string }>,
  instances: Instance[],
): Promise<RunResult> {
  const pids = new Set(instances.map((i) => i.child.pid));
  const kinds = {
    'app instances': (pid: number) => pids.has(pid),
    postgres: (_: number, comm: string) => comm === 'postgres',
    nginx: (_: number, comm: string) => comm === 'nginx',
  };
  const before = Object.fromEntries(Object.entries(kinds).map(([k, m]) => [k, cpuSeconds(m)]));
  const clientBefore = process.cpuUsage();
  const started = Date.now();
  const until = started + SECONDS * 1000;
  let next = 0;
  let ok = 0;
  let failed = 0;
  await withConcurrency(
    Array.from({ length: CONNECTIONS }, () => 0),
    CONNECTIONS,
    async () => {
      while (Date.now() < until) {
        const user = users[next++];
        if (!user) throw new Error('Not enough users for the run: raise BENCH_USERS');
        if (await totpSignInOver(origin, user, Date.now())) ok++;
        else failed++;
      }
    },
  );
  const elapsed = (Date.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const cpu = Object.fromEntries(Object.entries(kinds).map(([k, m]) => [k, (cpuSeconds(m) - before[k]!) / elapsed]));
  cpu['client (this process)'] = (client.user + client.system) / 1e6 / elapsed;
  return { signInsPerSecond: ok / elapsed, failed, cpu };
}

const database = await createTestDatabase('postgres');
const secretKey = randomBytes(32).toString('base64');
const ports = [await freePort(), await freePort()];
const proxyPort = await freePort();
const origin = `http://127.0.0.1:${proxyPort}`;
const start = async (name: string, port: number) => {
  const instance = await startInstance({
    name,
    port,
    databaseUrl: database.url!,
    secretKey,
    publicOrigin: origin,
    env: { LOG_LEVEL: 'error' },
  });
  await waitReady(instance);
  return instance;
};

const results: Record<string, RunResult> = {};
const instances: Instance[] = [];
let proxy: Awaited<ReturnType<typeof startNginxProxy>> | undefined;
try {
  const one = await start('one', ports[0]!);
  instances.push(one);
  // One instance: both upstream lines name it, so nginx's configuration is otherwise the same.
  proxy = await startNginxProxy([`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[0]}`], proxyPort);
  const created = await withConcurrency(
    Array.from({ length: USERS * 2 }, () => 0),
    CONNECTIONS,
    () => createUserOver(origin, true),
  );
  const users = created.map((u) => ({ ...u, totpSecret: u.totpSecret! }));
  results['1 instance'] = await run(origin, users.slice(0, USERS), [one]);
  await proxy.stop();

  const two = await start('two', ports[1]!);
  instances.push(two);
  proxy = await startNginxProxy(
    ports.map((p) => `127.0.0.1:${p}`),
    proxyPort,
  );
  results['2 instances'] = await run(origin, users.slice(USERS), [one, two]);
} finally {
  // Never leave server processes or nginx behind, even when a run fails.
  await proxy?.stop();
  await Promise.all(instances.map((i) => stopInstance(i)));
  await database.drop();
}

const [r1, r2] = [results['1 instance']!, results['2 instances']!];
console.log(`\nTOTP sign-in through nginx (${SECONDS} s, ${CONNECTIONS} clients at once, PostgreSQL)`);
console.log(
  `             sign-ins/s  failed  ${Object.keys(r1.cpu)
    .map((k) => `${k} CPU`)
    .join('  ')}`,
);
for (const [label, r] of Object.entries(results)) {
  console.log(
    `${label.padEnd(12)} ${r.signInsPerSecond.toFixed(1).padStart(10)}  ${String(r.failed).padStart(6)}  ${Object.entries(r.cpu)
      .map(([k, v]) => `${v.toFixed(2)}`.padStart(k.length + 4))
      .join('  ')}`,
  );
}
console.log(
  `two / one: ${(r2.signInsPerSecond / r1.signInsPerSecond).toFixed(2)} (CPU figures are cores in use, of ${(await import('node:os')).availableParallelism()})`,
);

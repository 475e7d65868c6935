/**
 * `npm run bench`: the performance table of issue 15, each row the app's figure
 * against its yardstick measured in the same run, printed and written to
 * bench/results.md. Needs `npm run build` first (it measures dist/ as built).
 * `npm run bench -- --all` runs, after it, every earlier benchmark too (one
 * after another, so one does not load the machine while another measures).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './lib/process.ts';
import type { BenchRow } from './lib/rows.ts';
import { formatRows, markdownRows } from './lib/table.ts';
import { logWriteCostRows } from './log-write-cost.ts';
import { pageWeightRows } from './page-weight.ts';
import { signInRows } from './sign-in.ts';
import { startTimeRows } from './start-time.ts';

type LegacyRow = {
  figure: string;
  database: 'sqlite' | 'postgres';
  app: number;
  yardstick: number;
  unit: string;
  ratio: number;
  goal: number;
};

/** The legacy endpoint's rows from bench/legacy-endpoint.ts, where it exports them. */
async function legacyRows(): Promise<BenchRow[]> {
  const legacy = (await import('./legacy-endpoint.ts')) as { legacyEndpointRows?: () => Promise<LegacyRow[]> };
  if (typeof legacy.legacyEndpointRows !== 'function') {
    return (['sqlite', 'postgres'] as const).map((database) => ({
      figure: 'GET /legacy/v1/whoami with a valid app password',
      database,
      app: Number.NaN,
      yardstick: Number.NaN,
      unit: 'req/s',
      ratio: Number.NaN,
      goal: { on: 'ratio', atLeast: database === 'sqlite' ? 0.5 : 0.3 },
      notMeasured: 'bench/legacy-endpoint.ts exports no legacyEndpointRows',
    }));
  }
  return (await legacy.legacyEndpointRows()).map((row) => ({ ...row, goal: { on: 'ratio', atLeast: row.goal } }));
}

const sections: Array<[string, () => Promise<BenchRow[]>]> = [
  ['page', pageWeightRows],
  ['legacy endpoint', legacyRows],
  // No goal of its own: what bounds the legacy row on SQLite (docs/reference.md#performance-limits).
  ['verification-log record', logWriteCostRows],
  ['sign-in', signInRows],
  ['start', startTimeRows],
];

const started = new Date();
const load = loadavg()[0]!.toFixed(1);
const rows: BenchRow[] = [];
for (const [name, measure] of sections) {
  console.log(`Measuring: ${name} ...`);
  const measured = await measure();
  console.log(formatRows(measured));
  rows.push(...measured);
}

console.log('\nIssue 15, this run:');
console.log(formatRows(rows));

const markdown = `# Benchmark results

Written by \`npm run bench\` (bench/run-all.ts) on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC:
${cpus().length} cores, load average ${load} when it began, Node ${process.version}. Each figure is the app's
beside its yardstick measured in the same run; the ratios are what carry from one run to the
next, the absolute figures move with the machine's load. "met" checks the issue's goal: on the
ratio where the goal is a ratio, on the app's own figure where the goal is one (page weight,
memory). The start goal, 0.5 s where the bare server took 0.14 s when the issue was written, is
checked as that ratio (3.57 ×), as both take longer on a busy machine.

${markdownRows(rows)}

How each row is measured: the comment at the top of bench/page-weight.ts, bench/legacy-endpoint.ts,
bench/log-write-cost.ts, bench/sign-in.ts and bench/start-time.ts. Why the rows marked NO stay so:
docs/reference.md#performance-limits.
`;
writeFileSync(join(repoRoot, 'bench/results.md'), markdown);
console.log('\nWritten to bench/results.md');

if (process.argv.includes('--all')) {
  await import('./code-verification.ts');
  await import('./verification-log.ts');
  await import('./mail-queue.ts');
  await import('./hardware-token-import.ts');
  await import('./multi-instance.ts');
}

/**
 * Side-by-side figures for the real app and the bare-server ceiling. The
 * ratio is what matters: absolute numbers depend on the machine, the ratio
 * says how much of the achievable throughput the app framework keeps.
 */
import type { LoadResult } from './load.ts';

export interface Comparison {
  app: LoadResult;
  ceiling: LoadResult;
}

function ratio(numerator: number, denominator: number): string {
  if (denominator === 0 || !Number.isFinite(numerator / denominator)) return 'n/a';
  return (numerator / denominator).toFixed(2);
}

function padRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
}

function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) => padRow(row, widths)).join('\n');
}

/** One result on its own, e.g. for a ceiling-only run. */
export function formatLoadResult(label: string, result: LoadResult): string {
  return renderTable([
    ['', 'req/s', 'p99 ms', 'non-2xx', 'errors'],
    [label, result.requestsPerSecond.toFixed(0), result.p99Ms.toFixed(2), String(result.non2xx), String(result.errors)],
  ]);
}

/**
 * rps ratio below 1 means the app is slower than the ceiling; p99 ratio above
 * 1 means its tail latency is worse. Non-2xx and error counts are shown so a
 * run full of 401s or resets is not mistaken for a fast one.
 */
export function formatComparison({ app, ceiling }: Comparison): string {
  return renderTable([
    ['', 'app', 'ceiling', 'app / ceiling'],
    [
      'req/s',
      app.requestsPerSecond.toFixed(0),
      ceiling.requestsPerSecond.toFixed(0),
      ratio(app.requestsPerSecond, ceiling.requestsPerSecond),
    ],
    ['p99 ms', app.p99Ms.toFixed(2), ceiling.p99Ms.toFixed(2), ratio(app.p99Ms, ceiling.p99Ms)],
    ['non-2xx', String(app.non2xx), String(ceiling.non2xx), ''],
    ['errors', String(app.errors), String(ceiling.errors), ''],
  ]);
}

export function printComparison(comparison: Comparison): void {
  console.log(formatComparison(comparison));
}

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { figure, goalText, meets, type BenchRow } from './rows.ts';

/** Whether the module at `url` is the script node was asked to run (Node 20 has no import.meta.main). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(url));
}

const HEADER = ['figure', 'app', 'yardstick', 'app ÷ yardstick', 'goal', 'met'];

function cells(row: BenchRow): string[] {
  const name = row.database ? `${row.figure} (${row.database})` : row.figure;
  if (row.notMeasured) return [name, 'not measured', '', '', goalText(row), row.notMeasured];
  const verdict = meets(row);
  return [
    name,
    `${figure(row.app)} ${row.unit}`,
    `${figure(row.yardstick)} ${row.unit}`,
    `${figure(row.ratio)} ×`,
    goalText(row),
    verdict === undefined ? '' : verdict ? 'yes' : 'NO',
  ];
}

/** The rows as a plain-text table for the terminal. */
export function formatRows(rows: readonly BenchRow[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  return table.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

export function printRows(rows: readonly BenchRow[]): void {
  console.log(formatRows(rows));
}

/** The rows as a Markdown table. */
export function markdownRows(rows: readonly BenchRow[]): string {
  const line = (c: readonly string[]) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map((r) => line(cells(r)))].join('\n');
}

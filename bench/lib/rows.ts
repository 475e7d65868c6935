/** One row of the issue-15 table: the app's figure, its yardstick's from the same run, and the goal it must meet. */
export interface BenchRow {
  figure: string;
  /** Which database the app ran on, where it matters. */
  database?: 'sqlite' | 'postgres';
  app: number;
  yardstick: number;
  unit: string;
  /** app ÷ yardstick. */
  ratio: number;
  /**
   * What must hold: on the ratio (`≥ 0.95 ×`) or on the app's own figure (`≤ 0.5 s`), as the issue
   * states each goal. Undefined: the row is shown for context only.
   */
  goal?: { on: 'ratio' | 'app'; atLeast?: number; atMost?: number };
  /** Set when the row could not be measured; the figures are then NaN. */
  notMeasured?: string;
}

export function meets(row: BenchRow): boolean | undefined {
  if (!row.goal || row.notMeasured) return undefined;
  const value = row.goal.on === 'ratio' ? row.ratio : row.app;
  if (row.goal.atLeast !== undefined && !(value >= row.goal.atLeast)) return false;
  if (row.goal.atMost !== undefined && !(value <= row.goal.atMost)) return false;
  return true;
}

export function goalText(row: BenchRow): string {
  const goal = row.goal;
  if (!goal) return '';
  const suffix = goal.on === 'ratio' ? ' ×' : ` ${row.unit}`;
  return goal.atLeast !== undefined ? `≥ ${goal.atLeast}${suffix}` : `≤ ${goal.atMost}${suffix}`;
}

/** Figures to three significant digits, without trailing noise. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return Number(value.toPrecision(3)).toString();
}

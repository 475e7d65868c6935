/**
 * When a temporarily failed e-mail is tried again: exponential back-off with
 * jitter, for at most a day (docs/reference.md#mail-queue).
 */

/** A message not sent within a day of being queued is given up on; the notice would be stale. */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const FIRST_DELAY_MS = 30_000;
const LONGEST_DELAY_MS = 60 * 60 * 1000;

/**
 * The wait after the n-th failed attempt: 30 s, 1 min, 2 min … up to an hour, of
 * which a random half is waived ("equal jitter"), so instances that failed
 * together do not all come back in the same second.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** When to try again, or null when that would fall outside the retry window. */
export function nextAttemptAt(row: { created_at: number; attempts: number }, now: number, random?: () => number): number | null {
  const at = now + retryDelayMs(row.attempts, random);
  return at - row.created_at > RETRY_WINDOW_MS ? null : at;
}

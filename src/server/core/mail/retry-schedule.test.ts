import { describe, expect, it } from 'vitest';
import { nextAttemptAt, retryDelayMs, RETRY_WINDOW_MS } from './retry-schedule.ts';

describe('retryDelayMs', () => {
  it('doubles from 30 s up to an hour, of which jitter waives up to half', () => {
    expect(retryDelayMs(1, () => 1)).toBe(30_000);
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
    expect(retryDelayMs(2, () => 1)).toBe(60_000);
    expect(retryDelayMs(5, () => 1)).toBe(480_000);
    expect(retryDelayMs(30, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(30, () => 0)).toBe(1_800_000);
  });
});

describe('nextAttemptAt', () => {
  it('gives up once the next attempt would fall more than a day after queueing', () => {
    const created = 1_000_000;
    expect(nextAttemptAt({ created_at: created, attempts: 1 }, created + 1000, () => 1)).toBe(created + 31_000);
    expect(nextAttemptAt({ created_at: created, attempts: 20 }, created + RETRY_WINDOW_MS - 60_000, () => 1)).toBeNull();
  });
});

/**
 * A thin, bounded wrapper around autocannon's programmatic API, so every
 * benchmark measures the same way and reports the same few figures.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  /** Full URL of the endpoint; must point at this machine. */
  url: string;
  headers?: Record<string, string>;
  /** Concurrent keep-alive connections (default 10). */
  connections?: number;
  /** How long to apply load (default 5 s, capped at 60 s). */
  durationSeconds?: number;
}

export interface LoadResult {
  /** Mean of the per-second request counts autocannon sampled. */
  requestsPerSecond: number;
  /** 99th-percentile response time in milliseconds, over all responses. */
  p99Ms: number;
  /** Responses outside 2xx; for an authenticated endpoint, usually 401s. */
  non2xx: number;
  /** Connection errors, including timeouts. */
  errors: number;
}

const DEFAULT_CONNECTIONS = 10;
const MAX_CONNECTIONS = 1_000;
const DEFAULT_DURATION_SECONDS = 5;
const MAX_DURATION_SECONDS = 60;
const REQUEST_TIMEOUT_SECONDS = 10;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Refuses anything but loopback: a load generator pointed at a shared or
 * production host by a typo is a denial-of-service attack, not a benchmark.
 */
function assertLoopback(url: string): void {
  const { protocol, hostname } = new URL(url);
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new Error(`runLoad: unsupported protocol ${protocol}`);
  }
  if (!LOOPBACK_HOSTS.has(hostname)) {
    throw new Error(`runLoad: refusing to load ${hostname}; only loopback targets are allowed`);
  }
}

function boundedInteger(value: number | undefined, fallback: number, max: number, name: string): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < 1 || chosen > max) {
    throw new RangeError(`runLoad: ${name} must be an integer from 1 to ${max}, got ${chosen}`);
  }
  return chosen;
}

/** Nearest-rank percentile of samples; 0 when there are none. */
function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return 0;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

// async so that invalid options reject the promise instead of throwing synchronously.
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  assertLoopback(opts.url);
  const connections = boundedInteger(opts.connections, DEFAULT_CONNECTIONS, MAX_CONNECTIONS, 'connections');
  const duration = boundedInteger(opts.durationSeconds, DEFAULT_DURATION_SECONDS, MAX_DURATION_SECONDS, 'durationSeconds');

  return new Promise<LoadResult>((resolve, reject) => {
    // autocannon's own latency histogram has 1 ms resolution, so a loopback
    // endpoint answering in 0.3 ms reports p99 = 0 and every ratio against it
    // is meaningless. The per-response times it emits are sub-millisecond
    // (from process.hrtime), so the percentile is computed from those.
    const responseTimesMs: number[] = [];
    const instance = autocannon(
      {
        url: opts.url,
        method: 'GET',
        headers: opts.headers ?? {},
        connections,
        duration,
        timeout: REQUEST_TIMEOUT_SECONDS,
      },
      (err: unknown, result) => {
        if (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        resolve({
          requestsPerSecond: result.requests.average,
          p99Ms: percentile(responseTimesMs, 0.99),
          non2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => {
      responseTimesMs.push(responseTimeMs);
    });
  });
}

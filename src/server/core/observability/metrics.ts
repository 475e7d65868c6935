import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolUse } from '../storage/db.ts';

/**
 * This instance's Prometheus metrics. Label values are only ever route
 * patterns, methods, event names, results and channels: never a user name, a
 * phone number or an address, so a scrape reveals nobody and the number of
 * series stays bounded. Each app has its own registry, so tests can run
 * several instances in one process.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'secinfo_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'secinfo_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    // Argon2 puts a sign-in near 50-200 ms; the long tail is what matters.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly verifications = new Counter({
    name: 'secinfo_verifications_total',
    help: 'Sign-ins, verifications and security-info changes recorded in the verification log, by event, method and result',
    labelNames: ['event', 'method', 'result'] as const,
    registers: [this.registry],
  });

  readonly throttled = new Counter({
    name: 'secinfo_throttle_refusals_total',
    help: 'Requests refused by a rate limit or back-off (HTTP 429), by route pattern',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'secinfo_deliveries_total',
    help: 'Codes and notices handed to a provider, by channel, provider and result',
    labelNames: ['channel', 'provider', 'result'] as const,
    registers: [this.registry],
  });

  constructor(options: { pool?: PoolUse; processMetrics?: boolean } = {}) {
    const { pool } = options;
    if (pool) {
      new Gauge({
        name: 'secinfo_db_pool_connections',
        help: 'Database pool connections by state: in use, idle, and requests waiting for one',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
          this.set({ state: 'idle' }, pool.idleCount);
          this.set({ state: 'waiting' }, pool.waitingCount);
        },
      });
    }
    // CPU, memory, event-loop lag: once per process, or a second registry would report the same figures twice.
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'secinfo_' });
  }

  /** Counts the result of handing a message to a provider, and passes the outcome on. */
  async delivered<T>(channel: string, provider: string, send: () => Promise<T>): Promise<T> {
    try {
      const result = await send();
      this.deliveries.inc({ channel, provider, result: 'sent' });
      return result;
    } catch (error) {
      this.deliveries.inc({ channel, provider, result: 'failed' });
      throw error;
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

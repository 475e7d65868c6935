import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { KeyRing } from './crypto/keys.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { DeliveryProvider } from './delivery/provider.ts';
import type { MailWorker } from './mail/mail-worker.ts';
import type { MethodKinds } from './security-info/method-kind.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Database } from './storage/schema.ts';
import type { ChangeFeed } from './storage/change-feed.ts';
import type { GroupCommit } from './storage/group-commit.ts';
import type { VerificationLogRow } from './audit/verification-log.ts';

/** What every server module works with; app.ts builds it from its dependencies. */
export interface ServerContext {
  config: Config;
  db: Kysely<Database>;
  clock: Clock;
  keys: KeyRing;
  box: SecretBox;
  /** SMS and voice codes, sent while the user waits. */
  delivery: DeliveryProvider;
  /** This instance's sender of queued e-mail; `inTransaction` wakes it after a commit. */
  mail: MailWorker;
  log: FastifyBaseLogger;
  /** The method kinds this server was built with (`server/method-kinds.ts`). */
  kinds: MethodKinds;
  /** This instance's Prometheus counters (/metrics). */
  metrics: Metrics;
  /** Tells this instance's caches when what they hold may have changed (here or on another instance). */
  changes: ChangeFeed;
  /** This instance's group-commit writer of verification-log records (`writeVerificationLogGrouped`). */
  logWriter: GroupCommit<VerificationLogRow>;
  /** Set once the instance is stopping (main.ts), so reads and /api/ready turn the proxy away; when a request last came. */
  lifecycle: { stopping: boolean; lastRequestAt: number };
}

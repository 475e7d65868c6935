import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Database } from '../storage/schema.ts';
import { MailSendError, type MailTransport } from './mail-transport.ts';
import { claimDueMail, markMailDead, markMailSent, releaseMail, rescheduleMail, type QueuedMail } from './queue-store.ts';
import { nextAttemptAt } from './retry-schedule.ts';

export interface MailWorkerOptions {
  db: Kysely<Database>;
  clock: Clock;
  transport: MailTransport;
  log: FastifyBaseLogger;
  /** Names this worker in the rows it claims; unique per process. */
  workerId: string;
  /** Messages sent at once. Default 3, the SMTP pool's size. */
  concurrency?: number;
  /** How often to look for work queued by other instances or come due for a retry. Default 2 s. */
  pollMs?: number;
  /** How long a claim holds; past it another worker may take the row. Must exceed the longest send. */
  leaseMs?: number;
  /** Messages a lane claims at once. Default 10. */
  batch?: number;
  random?: () => number;
}

/**
 * Sends queued e-mail (docs/reference.md#mail-queue). Each server instance
 * runs one; the claim in the database makes sure each message is taken by
 * one worker. Woken right after a commit that queued mail, and by a timer.
 */
export class MailWorker {
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopping = false;

  constructor(private readonly options: MailWorkerOptions) {
    this.concurrency = options.concurrency ?? 3;
    this.leaseMs = options.leaseMs ?? 5 * 60 * 1000;
  }

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.options.pollMs ?? 2000);
    this.timer.unref();
    this.nudge();
  }

  /** Look for due mail now; if a pass is under way, one more pass follows it. */
  nudge(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.passes().finally(() => {
      this.running = undefined;
    });
  }

  /** Sends everything due now and returns when done: for the dev outbox reader and tests. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    this.nudge();
    while (this.running) await this.running;
  }

  /**
   * Finishes the messages being sent and claims no more: the rest stay queued
   * for this or another instance (SIGTERM during a deploy).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    while (this.running) await this.running;
    this.options.transport.close();
  }

  private async passes(): Promise<void> {
    do {
      this.again = false;
      // allSettled, not all: a pass ends only when every lane has, so stop() never leaves a send behind.
      const failed = (await Promise.allSettled(Array.from({ length: this.concurrency }, () => this.lane()))).filter(
        (r) => r.status === 'rejected',
      );
      if (failed.length > 0) {
        // The database may be briefly away; the timer brings the worker back.
        this.options.log.warn({ err: failed[0]?.reason }, 'Mail queue pass failed');
        return;
      }
    } while (this.again && !this.stopping);
  }

  private async lane(): Promise<void> {
    const { db, clock, workerId } = this.options;
    while (!this.stopping) {
      const now = clock.now();
      const claimed = await claimDueMail(db, { workerId, now, leaseMs: this.leaseMs, limit: this.options.batch ?? 10 });
      if (claimed.length === 0) return;
      // A send is started only in the first half of the claim, so it ends before the claim runs
      // out and another instance could take the message: else a message would go out twice.
      const startBy = now + this.leaseMs / 2;
      for (const [i, mail] of claimed.entries()) {
        if (this.stopping || clock.now() > startBy) {
          await releaseMail(db, claimed.slice(i), workerId);
          break;
        }
        await this.deliver(mail);
      }
    }
  }

  private async deliver(mail: QueuedMail): Promise<void> {
    const { db, clock, transport, workerId, log } = this.options;
    try {
      await transport.send({
        to: mail.recipient,
        language: mail.language,
        subject: mail.subject,
        text: mail.body,
        messageId: mail.message_id,
        userId: mail.user_id,
      });
    } catch (error) {
      const failure = error instanceof MailSendError ? error : new MailSendError('unexpected failure', false);
      const now = clock.now();
      const retryAt = failure.permanent ? null : nextAttemptAt(mail, now, this.options.random);
      const facts = { mailId: mail.id, userId: mail.user_id, attempts: mail.attempts, reason: failure.message };
      if (retryAt === null) {
        const reason = failure.permanent ? failure.message : `gave up after ${mail.attempts} attempts: ${failure.message}`;
        await markMailDead(db, mail, workerId, now, reason.slice(0, 500));
        log.error(facts, 'E-mail notice could not be delivered and was given up on');
      } else {
        await rescheduleMail(db, mail, workerId, retryAt, failure.message.slice(0, 500));
        log.warn({ ...facts, retryAt: new Date(retryAt).toISOString() }, 'E-mail notice will be tried again');
      }
      return;
    }
    await markMailSent(db, mail, workerId, clock.now());
  }
}

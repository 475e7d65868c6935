import { PostgresAdapter, type Kysely, type Selectable } from 'kysely';
import { newId } from '../crypto/random.ts';
import type { Database, MailQueueTable, MailStatus } from '../storage/schema.ts';
import type { TransactionContext } from '../transaction.ts';
import { messageIdFor } from './compose.ts';

/** The queries on `mail_queue` (docs/reference.md#mail-queue). */
export type QueuedMail = Selectable<MailQueueTable>;

export interface Notice {
  userId: string | null;
  to: string;
  language: string;
  subject: string;
  body: string;
}

/** Queues an e-mail inside the transaction of the change it reports; the worker sends it after the commit. */
export async function enqueueMail(tx: TransactionContext, notice: Notice): Promise<void> {
  const id = newId();
  const now = tx.clock.now();
  await tx.db
    .insertInto('mail_queue')
    .values({
      id,
      user_id: notice.userId,
      recipient: notice.to,
      language: notice.language,
      subject: notice.subject,
      body: notice.body,
      message_id: messageIdFor(id, tx.config.outgoingMail.domain),
      status: 'pending',
      attempts: 0,
      due_at: now,
      claimed_by: null,
      claimed_until: null,
      last_error: null,
      created_at: now,
      finished_at: null,
    })
    .execute();
}

const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Takes up to `limit` due messages for this worker: pending ones whose time
 * has come, or ones whose earlier claim ran out (their worker died mid-send).
 * One UPDATE does it, so two workers never take the same row: PostgreSQL
 * skips rows another transaction has locked (FOR UPDATE SKIP LOCKED), SQLite
 * runs one writer at a time. Claiming a few at once saves a write per message.
 */
export async function claimDueMail(
  db: Kysely<Database>,
  input: { workerId: string; now: number; leaseMs: number; limit: number },
): Promise<QueuedMail[]> {
  const { workerId, now, leaseMs } = input;
  const rows = await db
    .updateTable('mail_queue')
    .set((eb) => ({ status: 'sending', claimed_by: workerId, claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => {
      const due = eb
        .selectFrom('mail_queue')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'pending'), w('due_at', '<=', now)]),
            w.and([w('status', '=', 'sending'), w('claimed_until', '<=', now)]),
          ]),
        )
        .orderBy('due_at')
        .limit(input.limit);
      return isPostgres(db) ? due.forUpdate().skipLocked() : due;
    })
    .returningAll()
    .execute();
  // RETURNING gives no order; oldest first, as claimed.
  return rows.sort((a, b) => a.due_at - b.due_at);
}

/**
 * Gives back claimed messages this worker will not send after all (it is
 * stopping, or its claim is running out): pending again, due at once, the
 * attempt not counted.
 */
export async function releaseMail(db: Kysely<Database>, mails: QueuedMail[], workerId: string): Promise<void> {
  if (mails.length === 0) return;
  await db
    .updateTable('mail_queue')
    .set((eb) => ({ status: 'pending', claimed_by: null, claimed_until: null, attempts: eb('attempts', '-', 1) }))
    .where(
      'id',
      'in',
      mails.map((m) => m.id),
    )
    .where('status', '=', 'sending')
    .where('claimed_by', '=', workerId)
    .execute();
}

/** Ends this worker's claim on a row; a no-op if the claim ran out and another worker took it. */
async function settle(
  db: Kysely<Database>,
  mail: QueuedMail,
  workerId: string,
  set: { status: MailStatus; due_at?: number; last_error?: string | null; finished_at?: number | null },
): Promise<void> {
  await db
    .updateTable('mail_queue')
    .set({ ...set, claimed_by: null, claimed_until: null })
    .where('id', '=', mail.id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', workerId)
    .execute();
}

export const markMailSent = (db: Kysely<Database>, mail: QueuedMail, workerId: string, now: number) =>
  settle(db, mail, workerId, { status: 'sent', finished_at: now, last_error: null });

export const rescheduleMail = (db: Kysely<Database>, mail: QueuedMail, workerId: string, dueAt: number, reason: string) =>
  settle(db, mail, workerId, { status: 'pending', due_at: dueAt, last_error: reason });

export const markMailDead = (db: Kysely<Database>, mail: QueuedMail, workerId: string, now: number, reason: string) =>
  settle(db, mail, workerId, { status: 'dead', finished_at: now, last_error: reason });

/** How many messages wait to be sent and how many were given up on, for /api/health. */
export async function mailQueueCounts(db: Kysely<Database>): Promise<{ pending: number; dead: number }> {
  const rows = await db
    .selectFrom('mail_queue')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'sending', 'dead'])
    .groupBy('status')
    .execute();
  const count = (...statuses: MailStatus[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + Number(r.n), 0);
  return { pending: count('pending', 'sending'), dead: count('dead') };
}

/** The notices to a user that could not be delivered, newest first, for the admin's user page. */
export async function deadMailOf(db: Kysely<Database>, userId: string, limit: number) {
  return db
    .selectFrom('mail_queue')
    .select(['id', 'subject', 'recipient', 'attempts', 'last_error', 'created_at', 'finished_at'])
    .where('user_id', '=', userId)
    .where('status', '=', 'dead')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

const DAY = 24 * 60 * 60 * 1000;

/** Sent messages are kept a week (to answer "did it go out?"), dead ones 90 days. */
export async function sweepFinishedMail(db: Kysely<Database>, now: number): Promise<void> {
  await db
    .deleteFrom('mail_queue')
    .where('status', '=', 'sent')
    .where('finished_at', '<=', now - 7 * DAY)
    .execute();
  await db
    .deleteFrom('mail_queue')
    .where('status', '=', 'dead')
    .where('finished_at', '<=', now - 90 * DAY)
    .execute();
}

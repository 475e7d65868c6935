import type { AuthMode } from '../../../shared/api/admin-log.ts';
import type { ServerContext } from '../context.ts';
import { randomBytes } from 'node:crypto';
import { CompiledQuery, PostgresAdapter, type Insertable, type Kysely } from 'kysely';
import { newId } from '../crypto/random.ts';
import { databaseExtrasOf } from '../storage/db.ts';
import { GroupCommit } from '../storage/group-commit.ts';
import type { Database, VerificationLogTable } from '../storage/schema.ts';
import { maskPhoneNumber } from './phone-mask.ts';

/**
 * The verification log keeps exactly the fields of a two-step verification
 * record in the reference FAQ (docs/reference.md#verification-log): user name, first
 * and last name, e-mail, phone number, device token, authentication mode,
 * result with denial reason, server name, server IP, client IP. Never a code,
 * a password or a secret.
 */
export type { AuthMode };

export interface LogSubject {
  id: string | null;
  username: string;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
}

export interface LogEntryInput {
  user: LogSubject;
  event: string;
  authMode: AuthMode;
  result: 'success' | 'denied';
  denialReason?: string;
  phone?: string | null;
  deviceToken?: string | null;
  clientIp?: string | null;
  /** The SMS or voice provider's id for the message the record is about. */
  providerMessageId?: string | null;
}

export async function writeVerificationLog(ctx: ServerContext, entry: LogEntryInput): Promise<void> {
  ctx.metrics.verifications.inc({ event: entry.event, method: entry.authMode, result: entry.result });
  await ctx.db
    .insertInto('verification_log')
    .values(logRow(ctx, entry, newId()))
    .execute();
}

/**
 * The same record, stored by this instance's group-commit writer together with those of concurrent
 * requests (`storage/group-commit.ts`); resolves once it is committed. Not for use inside a
 * transaction: the record would commit on its own, whatever the transaction does.
 */
export async function writeVerificationLogGrouped(ctx: ServerContext, entry: LogEntryInput): Promise<void> {
  ctx.metrics.verifications.inc({ event: entry.event, method: entry.authMode, result: entry.result });
  await ctx.logWriter.write(logRow(ctx, entry, ''));
}

export type VerificationLogRow = Insertable<VerificationLogTable>;

function logRow(ctx: ServerContext, entry: LogEntryInput, id: string): VerificationLogRow {
  return {
    id,
    at: ctx.clock.now(),
    user_id: entry.user.id,
    username: entry.user.username,
    first_name: entry.user.first_name ?? null,
    last_name: entry.user.last_name ?? null,
    email: entry.user.email ?? null,
    phone: entry.phone ?? null,
    device_token: entry.deviceToken ?? null,
    auth_mode: entry.authMode,
    event: entry.event,
    result: entry.result,
    denial_reason: entry.denialReason ?? null,
    server_name: ctx.config.serverName,
    server_ip: ctx.config.host,
    client_ip: entry.clientIp ?? null,
    provider_message_id: entry.providerMessageId ?? null,
  };
}

/** Column order of the grouped insert. */
const COLUMNS = [
  'id',
  'at',
  'user_id',
  'username',
  'first_name',
  'last_name',
  'email',
  'phone',
  'device_token',
  'auth_mode',
  'event',
  'result',
  'denial_reason',
  'server_name',
  'server_ip',
  'client_ip',
  'provider_message_id',
] as const satisfies ReadonlyArray<keyof VerificationLogTable>;

/**
 * This instance's group-commit writer of verification-log records. Record ids are cut from one random
 * draw per batch (16 bytes each, as `newId`). SQLite runs one kept prepared single-row insert per record
 * inside one transaction; PostgreSQL inserts the whole batch with one named statement over arrays.
 */
export function verificationLogWriter(db: Kysely<Database>): GroupCommit<VerificationLogRow> {
  const extras = databaseExtrasOf(db);
  const isPostgres = extras?.kind === 'postgres' || (extras === undefined && db.getExecutor().adapter instanceof PostgresAdapter);
  const withIds = (rows: readonly VerificationLogRow[]) => {
    const random = randomBytes(16 * rows.length);
    return rows.map((row, i) => ({ ...row, id: random.subarray(16 * i, 16 * (i + 1)).toString('base64url') }));
  };
  if (isPostgres) {
    const types = COLUMNS.map((c) => (c === 'at' ? 'bigint[]' : 'text[]'));
    const text = `insert into verification_log (${COLUMNS.join(', ')}) select * from unnest(${types.map((t, i) => `$${i + 1}::${t}`).join(', ')})`;
    extras?.prepareNamed?.(text);
    return new GroupCommit(async (rows) => {
      const all = withIds(rows);
      await db.executeQuery(
        CompiledQuery.raw(
          text,
          COLUMNS.map((c) => all.map((r) => r[c] ?? null)),
        ),
      );
    });
  }
  const text = `insert into verification_log (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`;
  return new GroupCommit(async (rows) => {
    const all = withIds(rows);
    await db.transaction().execute(async (trx) => {
      for (const row of all)
        await trx.executeQuery(
          CompiledQuery.raw(
            text,
            COLUMNS.map((c) => row[c] ?? null),
          ),
        );
    });
  });
}

/** The user's own records, newest first. */
export async function recentActivityOf(ctx: ServerContext, userId: string, limit: number) {
  return ctx.db
    .selectFrom('verification_log')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * A record as anyone but an administrator's log view shows it: the phone number masked, like
 * every other place but the owner's method list. Used by the user's own activity and the
 * admin's user page.
 */
export function toActivityEntry(r: Awaited<ReturnType<typeof recentActivityOf>>[number]) {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    event: r.event,
    authMode: r.auth_mode,
    result: r.result === 'success' ? ('success' as const) : ('denied' as const),
    denialReason: r.denial_reason,
    phone: r.phone ? maskPhoneNumber(r.phone) : null,
    deviceToken: r.device_token,
    clientIp: r.client_ip,
    serverName: r.server_name,
  };
}

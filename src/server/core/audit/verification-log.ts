import type { AuthMode } from '../../../shared/api/admin-log.ts';
import type { ServerContext } from '../context.ts';
import { newId } from '../crypto/random.ts';
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
    .values({
      id: newId(),
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
    })
    .execute();
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

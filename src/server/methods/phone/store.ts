import type { Selectable } from 'kysely';
import type { PhoneKind } from '../../../shared/api/phone.ts';
import type { ServerContext } from '../../core/context.ts';
import type { Queryable } from '../../core/security-info/method-store.ts';
import type { ChallengePurpose } from './code-challenges.ts';
import type { PhonesTable } from './schema.ts';

/** The queries on registered phones; the code challenges have their own module. */
export type PhoneRow = Selectable<PhonesTable>;

export async function phonesOf(ctx: ServerContext, userId: string): Promise<PhoneRow[]> {
  return ctx.db.selectFrom('phones').selectAll().where('user_id', '=', userId).execute();
}

export async function phonesByMethod(ctx: ServerContext, methodIds: string[]): Promise<PhoneRow[]> {
  if (methodIds.length === 0) return [];
  return ctx.db.selectFrom('phones').selectAll().where('method_id', 'in', methodIds).execute();
}

export async function phoneOf(ctx: ServerContext, userId: string, methodId: string): Promise<PhoneRow | undefined> {
  return ctx.db.selectFrom('phones').selectAll().where('method_id', '=', methodId).where('user_id', '=', userId).executeTakeFirst();
}

export async function numberOf(ctx: ServerContext, methodId: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('phones').select('e164').where('method_id', '=', methodId).executeTakeFirst();
  return row?.e164 ?? null;
}

export async function hasPhoneOfKind(ctx: ServerContext, userId: string, kind: PhoneKind): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('phones')
    .select('method_id')
    .where('user_id', '=', userId)
    .where('phone_kind', '=', kind)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPhone(db: Queryable, row: PhoneRow): Promise<void> {
  await db.insertInto('phones').values(row).execute();
}

export async function changeNumber(db: Queryable, methodId: string, e164: string, extension: string | null): Promise<void> {
  await db.updateTable('phones').set({ e164, extension }).where('method_id', '=', methodId).execute();
}

/** What a challenge was issued for, so a resend keeps its purpose. */
export async function challengePurpose(ctx: ServerContext, userId: string, challengeId: string): Promise<ChallengePurpose | undefined> {
  const row = await ctx.db
    .selectFrom('phone_challenges')
    .select('purpose')
    .where('id', '=', challengeId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.purpose;
}

const HOUR = 60 * 60 * 1000;

/** Kept an hour past expiry, so a late submission is told "expired", not "unknown". */
export async function sweepExpiredChallenges(ctx: ServerContext, now: number): Promise<void> {
  await ctx.db
    .deleteFrom('phone_challenges')
    .where('expires_at', '<=', now - HOUR)
    .execute();
}

import type { ServerContext } from '../../core/context.ts';
import type { Queryable } from '../../core/security-info/method-store.ts';
import { sealTotpSecret } from './secrets.ts';

/** The queries of the authenticator-app set-up: a pending secret waits in `enrollments` until its first code. */

const enrollmentAad = (id: string) => `enrollment:authenticator:${id}`;

export interface PendingSetup {
  id: string;
  secret: string;
  replaceMethodId: string | null;
  expiresAt: number;
}

/** Unconfirmed secrets are sealed like confirmed ones; an abandoned set-up leaves nothing readable. */
export async function savePendingSetup(
  ctx: ServerContext,
  setup: { id: string; userId: string; secret: string; replaceMethodId: string | null; expiresAt: number },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.deleteFrom('enrollments').where('user_id', '=', setup.userId).where('expires_at', '<=', now).execute();
  await ctx.db
    .insertInto('enrollments')
    .values({
      id: setup.id,
      user_id: setup.userId,
      kind: 'authenticator',
      payload_enc: ctx.box.seal(setup.secret, enrollmentAad(setup.id)),
      replace_method_id: setup.replaceMethodId,
      created_at: now,
      expires_at: setup.expiresAt,
    })
    .execute();
}

export async function findPendingSetup(ctx: ServerContext, userId: string, id: string): Promise<PendingSetup | undefined> {
  const row = await ctx.db
    .selectFrom('enrollments')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('kind', '=', 'authenticator')
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    secret: ctx.box.open(row.payload_enc, enrollmentAad(row.id)),
    replaceMethodId: row.replace_method_id,
    expiresAt: row.expires_at,
  };
}

/** True for exactly one of several concurrent confirmations of the same set-up. */
export async function consumePendingSetup(db: Queryable, id: string): Promise<boolean> {
  const consumed = await db.deleteFrom('enrollments').where('id', '=', id).executeTakeFirst();
  return Number(consumed.numDeletedRows) === 1;
}

export async function insertTotpSecret(ctx: ServerContext, db: Queryable, methodId: string, secret: string): Promise<void> {
  await db
    .insertInto('totp_secrets')
    .values({ method_id: methodId, secret_enc: sealTotpSecret(ctx, methodId, secret) })
    .execute();
}

/** False when the app is gone (deleted in another tab meanwhile). */
export async function replaceTotpSecret(ctx: ServerContext, db: Queryable, methodId: string, secret: string): Promise<boolean> {
  const updated = await db
    .updateTable('totp_secrets')
    .set({ secret_enc: sealTotpSecret(ctx, methodId, secret) })
    .where('method_id', '=', methodId)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

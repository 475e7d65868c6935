import type { Kysely, Selectable } from 'kysely';
import type { PhoneDelivery } from '../../../shared/api/common.ts';
import type { MethodKind, OrgPolicy } from '../../../shared/policy.ts';
import type { ServerContext } from '../context.ts';
import type { Database, MethodsTable } from '../storage/schema.ts';

/** The queries on the `methods` table and the user's default; every kind's rows hang off these. */
export type MethodRow = Selectable<MethodsTable>;
/** The database, or a transaction on it. */
export type Queryable = Kysely<Database>;

export async function listMethods(ctx: ServerContext, userId: string): Promise<MethodRow[]> {
  return ctx.db.selectFrom('methods').selectAll().where('user_id', '=', userId).orderBy('created_at', 'asc').execute();
}

/**
 * The ids of the methods the organisation's policy turned off: their kind is
 * off, this server lacks the kind, or the kind's finer options exclude them
 * (a phone none of whose deliveries is allowed). They are kept, not deleted,
 * and work again once the policy allows them.
 */
export async function turnedOffMethodIds(ctx: ServerContext, methods: MethodRow[], policy: OrgPolicy): Promise<Set<string>> {
  const off = new Set<string>();
  for (const m of methods) if (!policy.enabledMethods[m.kind] || !ctx.kinds.get(m.kind)) off.add(m.id);
  for (const module of ctx.kinds.modules) {
    const ofKind = methods.filter((m) => m.kind === module.kind && !off.has(m.id));
    if (ofKind.length > 0 && module.turnedOff) for (const id of await module.turnedOff(ctx, ofKind, policy)) off.add(id);
  }
  return off;
}

/** A method counts only while the organisation allows it. */
export async function usableMethods(ctx: ServerContext, methods: MethodRow[], policy: OrgPolicy): Promise<MethodRow[]> {
  const off = await turnedOffMethodIds(ctx, methods, policy);
  return methods.filter((m) => !off.has(m.id));
}

export async function usableMethodsOf(ctx: ServerContext, userId: string, policy: OrgPolicy): Promise<MethodRow[]> {
  return usableMethods(ctx, await listMethods(ctx, userId), policy);
}

export async function findMethodOf(ctx: ServerContext, userId: string, methodId: string): Promise<MethodRow | undefined> {
  return ctx.db.selectFrom('methods').selectAll().where('id', '=', methodId).where('user_id', '=', userId).executeTakeFirst();
}

/** How many methods of these kinds the user has (kinds sharing one limit are counted together). */
export async function countMethodsOfKinds(db: Queryable, userId: string, kinds: readonly MethodKind[]): Promise<number> {
  const { n } = await db
    .selectFrom('methods')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('kind', 'in', kinds)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function insertMethod(db: Queryable, row: MethodRow): Promise<void> {
  await db.insertInto('methods').values(row).execute();
}

export async function relabelMethod(db: Queryable, methodId: string, label: string, usedAt?: number): Promise<void> {
  await db
    .updateTable('methods')
    .set(usedAt === undefined ? { label } : { label, last_used_at: usedAt })
    .where('id', '=', methodId)
    .execute();
}

/** The kind's own rows go with it (foreign keys cascade). */
export async function deleteMethodRow(db: Queryable, methodId: string): Promise<void> {
  await db.deleteFrom('methods').where('id', '=', methodId).execute();
}

/** Sets the default method, and for a phone how its code arrives (null: either). */
export async function setDefaultMethodId(
  db: Queryable,
  userId: string,
  methodId: string | null,
  delivery: PhoneDelivery | null = null,
): Promise<void> {
  await db.updateTable('users').set({ default_method_id: methodId, default_delivery: delivery }).where('id', '=', userId).execute();
}

export async function markMethodUsed(ctx: ServerContext, methodId: string): Promise<void> {
  await ctx.db.updateTable('methods').set({ last_used_at: ctx.clock.now() }).where('id', '=', methodId).execute();
}

/**
 * Deletes the user's methods added at or before `at` (the kinds' rows go with them) and the
 * default if it was one of them; methods added since stay. Returns how many were deleted.
 */
export async function deleteMethodsAddedBy(db: Queryable, userId: string, at: number): Promise<number> {
  // Both statements in one transaction: the caller's, when it is in one (an admin's action with its notice).
  const inOne = <T>(work: (trx: Queryable) => Promise<T>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  return inOne(async (trx) => {
    const deleted = await trx.deleteFrom('methods').where('user_id', '=', userId).where('created_at', '<=', at).executeTakeFirst();
    await trx
      .updateTable('users')
      .set({ default_method_id: null, default_delivery: null })
      .where('id', '=', userId)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('methods').select('methods.id').whereRef('methods.id', '=', 'users.default_method_id'))),
      )
      .execute();
    return Number(deleted.numDeletedRows);
  });
}

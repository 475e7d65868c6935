import { sql, type Selectable, type SqlBool } from 'kysely';
import type { ServerContext } from '../../core/context.ts';
import type { Queryable } from '../../core/security-info/method-store.ts';
import { normalizeUsername } from '../../core/users/users.ts';
import type { TokenState } from './otp.ts';
import type { HardwareTokensTable } from './schema.ts';

/** The queries of hardware tokens: import, activation, verification, the admin's list. */

export type TokenRow = Selectable<HardwareTokensTable>;

// The AAD ties each sealed secret to its token, so rows cannot be swapped.
const aad = (tokenId: string) => `hardware-token-secret:${tokenId}`;

export function sealTokenSecret(ctx: ServerContext, tokenId: string, secret: Uint8Array): string {
  return ctx.box.seal(Buffer.from(secret).toString('base64'), aad(tokenId));
}

export function openTokenSecret(ctx: ServerContext, token: Pick<TokenRow, 'id' | 'secret_enc'>): Uint8Array {
  return new Uint8Array(Buffer.from(ctx.box.open(token.secret_enc, aad(token.id)), 'base64'));
}

export function stateOf(token: TokenRow): TokenState {
  return { counter: Number(token.counter), drift: Number(token.drift), lastStep: Number(token.last_step) };
}

/** Long IN lists go in slices: SQLite and PostgreSQL both cap the parameters of one statement. */
const SLICE = 500;
export function slices<T>(items: readonly T[], size = SLICE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function findTokenBySerial(ctx: ServerContext, serial: string): Promise<TokenRow | undefined> {
  return ctx.db.selectFrom('hardware_tokens').selectAll().where('serial', '=', serial).executeTakeFirst();
}

export async function findToken(ctx: ServerContext, id: string): Promise<TokenRow | undefined> {
  return ctx.db.selectFrom('hardware_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function tokensOfMethods(ctx: ServerContext, methodIds: readonly string[]): Promise<TokenRow[]> {
  if (methodIds.length === 0) return [];
  return ctx.db.selectFrom('hardware_tokens').selectAll().where('method_id', 'in', methodIds).execute();
}

/** Which of these serials are already imported. */
export async function existingSerials(ctx: ServerContext, serials: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of slices([...new Set(serials)])) {
    const rows = await ctx.db.selectFrom('hardware_tokens').select('serial').where('serial', 'in', part).execute();
    for (const r of rows) found.add(r.serial);
  }
  return found;
}

/** Users by the UPN an import file names: their user name, or else their e-mail address (any case). */
export async function usersByUpn(ctx: ServerContext, upns: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(upns.map(normalizeUsername))];
  const ids = new Map<string, string>();
  for (const part of slices(wanted)) {
    const byName = await ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', part).execute();
    for (const u of byName) ids.set(u.username, u.id);
    const rest = part.filter((upn) => !ids.has(upn));
    if (rest.length === 0) continue;
    const byEmail = await ctx.db
      .selectFrom('users')
      .select(['id', 'email'])
      .where((eb) => eb(eb.fn('lower', ['email']), 'in', rest))
      .execute();
    for (const u of byEmail) if (u.email) ids.set(u.email.toLowerCase(), u.id);
  }
  return ids;
}

/** Rows per INSERT: well under both databases' parameter limits at 16 columns. */
const INSERT_BATCH = 250;

export async function insertTokens(db: Queryable, rows: HardwareTokensTable[]): Promise<void> {
  for (const part of slices(rows, INSERT_BATCH)) await db.insertInto('hardware_tokens').values(part).execute();
}

/**
 * Stores what a code used up, only if nobody used the token since it was read: of two
 * requests with the same code, on any instance, exactly one succeeds.
 */
export async function saveTokenState(
  db: Queryable,
  token: TokenRow,
  next: TokenState,
  now: number,
  activate?: { userId: string; methodId: string },
): Promise<boolean> {
  const before = stateOf(token);
  let query = db
    .updateTable('hardware_tokens')
    .set({
      counter: next.counter,
      drift: next.drift,
      last_step: next.lastStep,
      last_used_at: now,
      ...(activate ? { method_id: activate.methodId } : {}),
    })
    .where('id', '=', token.id)
    .where('counter', '=', before.counter)
    .where('drift', '=', before.drift)
    .where('last_step', '=', before.lastStep);
  if (activate) query = query.where('method_id', 'is', null).where('assigned_user_id', '=', activate.userId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * A serial starts with the prefix: LIKE with the wildcards escaped, which means the same in
 * both databases whatever PostgreSQL's collation (serials are stored in upper case).
 */
function startsWith(column: 'serial' | 'hardware_tokens.serial', prefix: string) {
  const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

export interface TokenListRow extends TokenRow {
  username: string | null;
}

export async function listTokens(ctx: ServerContext, query: { q: string; after?: string | undefined }, limit: number) {
  let select = ctx.db
    .selectFrom('hardware_tokens')
    .leftJoin('users', 'users.id', 'hardware_tokens.assigned_user_id')
    .selectAll('hardware_tokens')
    .select('users.username as username')
    .orderBy('hardware_tokens.serial')
    .limit(limit + 1);
  const prefix = query.q.replace(/\s/g, '').toUpperCase();
  if (prefix) select = select.where(startsWith('hardware_tokens.serial', prefix));
  if (query.after) select = select.where('hardware_tokens.serial', '>', query.after);
  const rows: TokenListRow[] = await select.execute();
  let count = ctx.db.selectFrom('hardware_tokens').select((eb) => eb.fn.countAll<number>().as('n'));
  if (prefix) count = count.where(startsWith('serial', prefix));
  const { n } = await count.executeTakeFirstOrThrow();
  return { rows: rows.slice(0, limit), more: rows.length > limit, total: Number(n) };
}

export async function setTokenAssignment(db: Queryable, tokenId: string, userId: string | null): Promise<void> {
  await db.updateTable('hardware_tokens').set({ assigned_user_id: userId, method_id: null }).where('id', '=', tokenId).execute();
}

export async function deleteTokenRow(db: Queryable, tokenId: string): Promise<void> {
  await db.deleteFrom('hardware_tokens').where('id', '=', tokenId).execute();
}

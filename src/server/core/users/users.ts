import type { Selectable } from 'kysely';
import type { ServerContext } from '../context.ts';
import type { UsersTable } from '../storage/schema.ts';

export type UserRow = Selectable<UsersTable>;

/** User names compare case-insensitively, as people type them. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function displayName(user: Pick<UserRow, 'first_name' | 'last_name' | 'username'>): string {
  const full = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return full || user.username;
}

export async function findUserByUsername(ctx: ServerContext, username: string): Promise<UserRow | undefined> {
  return ctx.db.selectFrom('users').selectAll().where('username', '=', normalizeUsername(username)).executeTakeFirst();
}

export async function getUser(ctx: ServerContext, id: string): Promise<UserRow> {
  return ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Messages to the user (notifications, SMS) follow the language they last signed in with. */
export async function setUserLanguage(ctx: ServerContext, userId: string, language: string): Promise<void> {
  await ctx.db.updateTable('users').set({ language }).where('id', '=', userId).execute();
}

/** The registration an administrator (or a disabled default) asked for is done. */
export async function clearReregisterReason(ctx: ServerContext, userId: string): Promise<void> {
  await ctx.db.updateTable('users').set({ reregister_reason: null, reregister_requested_at: null }).where('id', '=', userId).execute();
}

export async function getUserIfExists(ctx: ServerContext, id: string): Promise<UserRow | undefined> {
  return ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

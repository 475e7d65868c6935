import { sql, type Kysely } from 'kysely';

/**
 * Changing one's password (docs/reference.md#changing-the-password):
 * - `users.password_changed_at`: when the password was last set, shown on Security info; accounts
 *   from before this column count from their creation;
 * - `users.password_change_required_at`: set while an administrator requires a new password at
 *   the next sign-in; a new password, changed or reset, clears it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('password_changed_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('password_change_required_at', 'bigint').execute();
  await sql`update users set password_changed_at = created_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('password_change_required_at').execute();
  await db.schema.alterTable('users').dropColumn('password_changed_at').execute();
}

import type { Kysely } from 'kysely';

/**
 * Moving people towards stronger methods (docs/reference.md#stronger-methods-first):
 * - `stronger_method_nudges`: how often a user whose only methods are phones put off the
 *   invitation to add a stronger one, and until when;
 * - `sessions.password_sign_in_at`: when the session completed a sign-in with a password and a
 *   second step, to which a passkey upgrade must be bound.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stronger_method_nudges')
    .addColumn('user_id', 'varchar(64)', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('snooze_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('snoozed_until', 'bigint')
    .execute();
  await db.schema.alterTable('sessions').addColumn('password_sign_in_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('password_sign_in_at').execute();
  await db.schema.dropTable('stronger_method_nudges').execute();
}

import type { Kysely } from 'kysely';

/**
 * A default sign-in method may name how its code arrives (a phone's text or
 * call), as the user chose it: turning that delivery off turns the default off
 * even while the phone can still be reached the other way
 * (docs/reference.md#default-method). Null: the method as a whole.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('default_delivery', 'varchar(16)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('default_delivery').execute();
}

import type { Kysely } from 'kysely';

/**
 * Hardware OATH tokens (docs/reference.md#hardware-tokens). A token is imported by an
 * administrator, optionally assigned to a user, and becomes that user's method when they
 * activate it (`method_id`). Deleting the method leaves the token assigned and not activated.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hardware_tokens')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    // Normalised (no spaces, upper case): what a user types is compared with it.
    .addColumn('serial', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('algorithm', 'varchar(8)', (c) => c.notNull())
    .addColumn('digits', 'integer', (c) => c.notNull())
    .addColumn('period', 'integer', (c) => c.notNull())
    // HOTP: the next counter value a code may have (every lower one was used or skipped).
    .addColumn('counter', 'bigint', (c) => c.notNull())
    // TOTP: the token's clock offset in steps, and the last step accepted (never again, nor any before it).
    .addColumn('drift', 'integer', (c) => c.notNull())
    .addColumn('last_step', 'bigint', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('manufacturer', 'varchar(128)')
    .addColumn('model', 'varchar(128)')
    .addColumn('assigned_user_id', 'varchar(64)', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('method_id', 'varchar(64)', (c) => c.unique().references('methods.id').onDelete('set null'))
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('hardware_tokens_assigned_user').on('hardware_tokens').column('assigned_user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('hardware_tokens').ifExists().execute();
}

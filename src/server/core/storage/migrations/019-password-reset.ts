import type { Kysely } from 'kysely';

/**
 * Self-service password reset (docs/reference.md#self-service-password-reset): one row per
 * reset started, bound to its browser by a cookie (only its hash is stored) and to the session
 * that started it, with the methods that have proved the user so far.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('password_reset_flows')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    // Null: this reset cannot go on (unknown user name, too few methods, reset turned off).
    .addColumn('user_id', 'varchar(64)')
    .addColumn('session_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('methods_required', 'integer', (c) => c.notNull())
    // JSON: [{ "methodId", "kind" }], in the order they proved the user.
    .addColumn('proofs', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_reset_flows_user').on('password_reset_flows').column('user_id').execute();
  await db.schema.createIndex('password_reset_flows_expiry').on('password_reset_flows').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('password_reset_flows').execute();
}

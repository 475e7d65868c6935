import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('phones')
    .addColumn('method_id', 'varchar(64)', (c) => c.primaryKey().references('methods.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('phone_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('e164', 'varchar(20)', (c) => c.notNull())
    .addColumn('extension', 'varchar(10)')
    // At most one phone of each kind per user, as in the reference product.
    .addUniqueConstraint('phones_user_kind', ['user_id', 'phone_kind'])
    .execute();

  // A code lives here, not in one process's memory, so any instance can verify
  // what another sent (docs/reference.md#several-servers). Only its keyed hash is kept.
  await db.schema
    .createTable('phone_challenges')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    .addColumn('method_id', 'varchar(64)')
    .addColumn('phone_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('e164', 'varchar(20)', (c) => c.notNull())
    .addColumn('extension', 'varchar(10)')
    .addColumn('delivery', 'varchar(8)', (c) => c.notNull())
    .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('session_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .execute();
  await db.schema.createIndex('phone_challenges_user').on('phone_challenges').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('phone_challenges').ifExists().execute();
  await db.schema.dropTable('phones').ifExists().execute();
}

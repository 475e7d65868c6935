import type { Kysely } from 'kysely';

/**
 * The durable queue of outgoing e-mail (docs/reference.md#mail-queue), and the
 * phone provider's message id kept with a challenge and in the verification log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mail_queue')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)')
    .addColumn('recipient', 'varchar(256)', (c) => c.notNull())
    .addColumn('language', 'varchar(16)', (c) => c.notNull())
    .addColumn('subject', 'varchar(256)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('message_id', 'varchar(320)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(128)')
    .addColumn('claimed_until', 'bigint')
    .addColumn('last_error', 'varchar(512)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  // The worker's claim reads by status and time; the admin page and health by status.
  await db.schema.createIndex('mail_queue_due').on('mail_queue').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('mail_queue_user').on('mail_queue').columns(['user_id', 'status']).execute();
  await db.schema.alterTable('phone_challenges').addColumn('provider_message_id', 'varchar(128)').execute();
  await db.schema.alterTable('verification_log').addColumn('provider_message_id', 'varchar(128)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('verification_log').dropColumn('provider_message_id').execute();
  await db.schema.alterTable('phone_challenges').dropColumn('provider_message_id').execute();
  await db.schema.dropTable('mail_queue').execute();
}

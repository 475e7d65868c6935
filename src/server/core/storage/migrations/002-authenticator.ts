import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('totp_secrets')
    .addColumn('method_id', 'varchar(64)', (c) => c.primaryKey().references('methods.id').onDelete('cascade'))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .execute();

  // RFC 6238 §5.2: a verifier must not accept the same OTP twice. One record
  // per user, app and time step: the primary key makes the database refuse a
  // replay, whichever instance sees it. (Per app, so a code from a second app
  // in the same 30 seconds is not mistaken for a replay.)
  await db.schema
    .createTable('totp_used_steps')
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('method_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('totp_used_steps_pk', ['user_id', 'method_id', 'step'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('totp_used_steps').ifExists().execute();
  await db.schema.dropTable('totp_secrets').ifExists().execute();
}

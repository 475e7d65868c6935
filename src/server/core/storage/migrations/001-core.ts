import type { Kysely } from 'kysely';

// Written with the schema builder only, so the same migration runs on SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('first_name', 'varchar(128)')
    .addColumn('last_name', 'varchar(128)')
    .addColumn('email', 'varchar(256)')
    .addColumn('password_hash', 'varchar(256)', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('language', 'varchar(16)')
    .addColumn('default_method_id', 'varchar(64)')
    .addColumn('reregister_reason', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('stage', 'varchar(32)', (c) => c.notNull())
    .addColumn('second_factor_at', 'bigint')
    .addColumn('registration_reason', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('methods')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('label', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('methods_user').on('methods').column('user_id').execute();

  await db.schema
    .createTable('enrollments')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('payload_enc', 'text', (c) => c.notNull())
    .addColumn('replace_method_id', 'varchar(64)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('org_policy')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('policy_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('verification_log')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)')
    .addColumn('username', 'varchar(128)', (c) => c.notNull())
    .addColumn('first_name', 'varchar(128)')
    .addColumn('last_name', 'varchar(128)')
    .addColumn('email', 'varchar(256)')
    .addColumn('phone', 'varchar(32)')
    // Room for a WebAuthn credential ID: up to 1023 bytes, 1364 base64url characters (WebAuthn L3 §4).
    .addColumn('device_token', 'varchar(1400)')
    .addColumn('auth_mode', 'varchar(32)', (c) => c.notNull())
    .addColumn('event', 'varchar(64)', (c) => c.notNull())
    .addColumn('result', 'varchar(16)', (c) => c.notNull())
    .addColumn('denial_reason', 'varchar(64)')
    .addColumn('server_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('server_ip', 'varchar(64)')
    .addColumn('client_ip', 'varchar(64)')
    .execute();
  await db.schema.createIndex('verification_log_user_at').on('verification_log').columns(['user_id', 'at']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'varchar(16)', (c) => c.notNull())
    .addColumn('recipient', 'varchar(256)', (c) => c.notNull())
    .addColumn('subject', 'varchar(256)')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('user_id', 'varchar(64)')
    .execute();
  await db.schema.createIndex('outbox_recipient').on('outbox').columns(['recipient', 'created_at']).execute();

  await db.schema
    .createTable('throttle_counters')
    .addColumn('key', 'varchar(256)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .addColumn('blocked_until', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rate_events')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('key', 'varchar(256)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_events_key_at').on('rate_events').columns(['key', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'rate_events',
    'throttle_counters',
    'outbox',
    'verification_log',
    'org_policy',
    'enrollments',
    'methods',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

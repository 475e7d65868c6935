import type { AuthenticatorTransportFuture, WebAuthnCredential } from '@simplewebauthn/server';
import type { Queryable } from '../../core/security-info/method-store.ts';
import type { Selectable } from 'kysely';
import type { ServerContext } from '../../core/context.ts';
import { base64url } from './library.ts';
import type { WebauthnCredentialsTable } from './schema.ts';

export type CredentialRow = Selectable<WebauthnCredentialsTable>;

export function toWebAuthnCredential(row: CredentialRow): WebAuthnCredential {
  return {
    id: row.credential_id,
    publicKey: base64url.toBytes(row.public_key),
    counter: row.counter,
    transports: JSON.parse(row.transports) as AuthenticatorTransportFuture[],
  };
}

export async function credentialsOfUser(ctx: ServerContext, userId: string): Promise<CredentialRow[]> {
  return ctx.db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId).execute();
}

export async function credentialById(ctx: ServerContext, credentialId: string): Promise<CredentialRow | undefined> {
  return ctx.db.selectFrom('webauthn_credentials').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

export async function insertCredential(db: Queryable, row: CredentialRow): Promise<void> {
  await db.insertInto('webauthn_credentials').values(row).execute();
}

/**
 * Moves the signature counter forward only if it grows: of two instances
 * accepting assertions with the same counter at once, one wins (WebAuthn L3 §7.2 step 22).
 */
export async function advanceCounter(ctx: ServerContext, methodId: string, counter: number): Promise<boolean> {
  const advanced = await ctx.db
    .updateTable('webauthn_credentials')
    .set({ counter })
    .where('method_id', '=', methodId)
    .where('counter', '<', counter)
    .executeTakeFirst();
  return Number(advanced.numUpdatedRows) === 1;
}

export async function credentialIdOf(ctx: ServerContext, methodId: string): Promise<string | undefined> {
  const row = await ctx.db.selectFrom('webauthn_credentials').select('credential_id').where('method_id', '=', methodId).executeTakeFirst();
  return row?.credential_id;
}

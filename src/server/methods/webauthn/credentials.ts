import type { AuthenticatorTransportFuture, WebAuthnCredential } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { Selectable } from 'kysely';
import type { ServerContext } from '../../context.ts';
import type { WebauthnCredentialsTable } from '../../storage/schema.ts';

export type CredentialRow = Selectable<WebauthnCredentialsTable>;

export function toWebAuthnCredential(row: CredentialRow): WebAuthnCredential {
  return {
    id: row.credential_id,
    publicKey: isoBase64URL.toBuffer(row.public_key),
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

import type { CeremonyPurpose } from './challenges.ts';

// The kind's own tables, added to the query layer's Database type.
export interface WebauthnCredentialsTable {
  method_id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  /** JSON array of AuthenticatorTransport. */
  transports: string;
  aaguid: string | null;
  backed_up: number;
}

export interface WebauthnChallengesTable {
  id: string;
  purpose: CeremonyPurpose;
  challenge: string;
  user_id: string | null;
  session_hash: string;
  created_at: number;
  expires_at: number;
}

declare module '../../core/storage/schema.ts' {
  interface Database {
    webauthn_credentials: WebauthnCredentialsTable;
    webauthn_challenges: WebauthnChallengesTable;
  }
}

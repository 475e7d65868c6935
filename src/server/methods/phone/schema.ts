import type { PhoneDelivery, PhoneKind } from '../../../shared/api/phone.ts';
import type { ChallengePurpose } from './code-challenges.ts';

// The kind's own tables, added to the query layer's Database type.
export interface PhonesTable {
  method_id: string;
  user_id: string;
  phone_kind: PhoneKind;
  e164: string;
  extension: string | null;
}

export interface PhoneChallengesTable {
  id: string;
  user_id: string;
  purpose: ChallengePurpose;
  method_id: string | null;
  phone_kind: PhoneKind;
  e164: string;
  extension: string | null;
  delivery: PhoneDelivery;
  code_hash: string;
  attempts: number;
  session_hash: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** The SMS or voice provider's id for the message that carried the code. */
  provider_message_id: string | null;
}

declare module '../../core/storage/schema.ts' {
  interface Database {
    phones: PhonesTable;
    phone_challenges: PhoneChallengesTable;
  }
}

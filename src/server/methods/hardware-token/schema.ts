// The kind's own table, added to the query layer's Database type.

export type TokenKind = 'totp' | 'hotp';
export type TokenAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export interface HardwareTokensTable {
  id: string;
  serial: string;
  kind: TokenKind;
  algorithm: TokenAlgorithm;
  digits: number;
  period: number;
  counter: number;
  drift: number;
  last_step: number;
  secret_enc: string;
  manufacturer: string | null;
  model: string | null;
  assigned_user_id: string | null;
  method_id: string | null;
  imported_at: number;
  last_used_at: number | null;
}

declare module '../../core/storage/schema.ts' {
  interface Database {
    hardware_tokens: HardwareTokensTable;
  }
}

// The kind's own tables, added to the query layer's Database type.
export interface TotpSecretsTable {
  method_id: string;
  secret_enc: string;
}

export interface TotpUsedStepsTable {
  user_id: string;
  method_id: string;
  step: number;
  used_at: number;
}

declare module '../../core/storage/schema.ts' {
  interface Database {
    totp_secrets: TotpSecretsTable;
    totp_used_steps: TotpUsedStepsTable;
  }
}

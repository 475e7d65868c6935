// The kind's own tables, added to the query layer's Database type.
export interface AppPasswordsTable {
  id: string;
  user_id: string;
  name: string;
  hash: string;
  created_at: number;
  last_used_at: number | null;
  last_used_ip: string | null;
}

declare module '../../core/storage/schema.ts' {
  interface Database {
    app_passwords: AppPasswordsTable;
  }
}

import type { ServerContext } from '../../core/context.ts';

// The AAD ties each sealed secret to its method, so rows cannot be swapped.
const aad = (methodId: string) => `totp-secret:${methodId}`;

export function sealTotpSecret(ctx: ServerContext, methodId: string, secretBase32: string): string {
  return ctx.box.seal(secretBase32, aad(methodId));
}

export async function loadTotpSecrets(ctx: ServerContext, methodIds: string[]): Promise<Array<{ methodId: string; secret: string }>> {
  if (methodIds.length === 0) return [];
  const rows = await ctx.db.selectFrom('totp_secrets').selectAll().where('method_id', 'in', methodIds).execute();
  return rows.map((r) => ({ methodId: r.method_id, secret: ctx.box.open(r.secret_enc, aad(r.method_id)) }));
}

import type { ServerContext } from '../core/context.ts';
import { newId } from '../core/crypto/random.ts';
import { sealTotpSecret } from '../methods/authenticator/secrets.ts';

/** Gives a user an authenticator app with a known secret (demo and test users only). */
export async function addAuthenticatorForSeeding(ctx: ServerContext, userId: string, secret: string, label: string): Promise<string> {
  const methodId = newId();
  await ctx.db
    .insertInto('methods')
    .values({ id: methodId, user_id: userId, kind: 'authenticator', label, created_at: ctx.clock.now(), last_used_at: null })
    .execute();
  await ctx.db
    .insertInto('totp_secrets')
    .values({ method_id: methodId, secret_enc: sealTotpSecret(ctx, methodId, secret) })
    .execute();
  await ctx.db.updateTable('users').set({ default_method_id: methodId }).where('id', '=', userId).execute();
  return methodId;
}

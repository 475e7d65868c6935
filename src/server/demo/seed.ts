import type { ServerContext } from '../core/context.ts';
import { hashPassword } from '../core/auth/passwords.ts';
import { newId } from '../core/crypto/random.ts';
import { addAuthenticatorForSeeding } from './seed-helpers.ts';

/**
 * The demo organisation a newcomer signs in to (README lists the accounts).
 * Demo data only: DEMO_DATA=off, or NODE_ENV=production, leaves it out.
 */
export const demoAccounts = [
  {
    username: 'admin',
    password: 'Admin-demo-2026',
    firstName: 'Alex',
    lastName: 'Admin',
    isAdmin: true,
    totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU',
  },
  { username: 'ada', password: 'Ada-demo-2026', firstName: 'Ada', lastName: 'Nowak', isAdmin: false, totpSecret: undefined },
  {
    username: 'bob',
    password: 'Bob-demo-2026',
    firstName: 'Bob',
    lastName: 'Kowalski',
    isAdmin: false,
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  },
] as const;

export async function seedDemoOrganisation(ctx: ServerContext): Promise<void> {
  const existing = await ctx.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return;
  for (const account of demoAccounts) {
    const id = newId();
    await ctx.db
      .insertInto('users')
      .values({
        id,
        username: account.username,
        first_name: account.firstName,
        last_name: account.lastName,
        email: `${account.username}@contoso.example`,
        password_hash: await hashPassword(account.password),
        is_admin: account.isAdmin ? 1 : 0,
        language: null,
        default_method_id: null,
        reregister_reason: null,
        password_changed_at: ctx.clock.now(),
        created_at: ctx.clock.now(),
      })
      .execute();
    if (account.totpSecret) await addAuthenticatorForSeeding(ctx, id, account.totpSecret, 'Authenticator app');
  }
  ctx.log.info('Demo organisation created (see README for the accounts)');
}

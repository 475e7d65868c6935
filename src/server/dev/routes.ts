import type { FastifyInstance } from 'fastify';
import { dev as api, strongerMethods } from '../../shared/api/index.ts';
import { hashPassword } from '../core/auth/passwords.ts';
import { newId, randomToken } from '../core/crypto/random.ts';
import { ApiError } from '../core/api-error.ts';
import { route } from '../core/http/route.ts';
import { addAuthenticatorForSeeding } from '../demo/seed-helpers.ts';
import { generateTotpSecret } from '../methods/authenticator/totp.ts';

/**
 * Development and test helpers. app.ts mounts them only outside production:
 * they create users without an admin and read messages meant for users.
 */
export function devRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.createTestUser, async ({ body }) => {
    const username = `user-${newId()
      .slice(0, 10)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`;
    const password = `Pw-${randomToken(12)}`;
    const id = newId();
    await ctx.db
      .insertInto('users')
      .values({
        id,
        username,
        first_name: body.firstName ?? null,
        last_name: body.lastName ?? null,
        email: `${username}@example.test`,
        password_hash: await hashPassword(password),
        is_admin: body.isAdmin ? 1 : 0,
        language: null,
        default_method_id: null,
        reregister_reason: null,
        password_changed_at: ctx.clock.now(),
        created_at: ctx.clock.now(),
      })
      .execute();
    if (!body.withAuthenticator) return { username, password };
    const totpSecret = generateTotpSecret();
    await addAuthenticatorForSeeding(ctx, id, totpSecret, 'Authenticator app');
    return { username, password, totpSecret };
  });

  route(app, api.ageVerification, async ({ session, body }) => {
    if (!session?.userId || session.secondFactorAt === null) throw new ApiError(409, 'reauth_required');
    await ctx.db
      .updateTable('sessions')
      .set({ second_factor_at: session.secondFactorAt - body.seconds * 1000 })
      .where('id_hash', '=', session.idHash)
      .execute();
    return { ok: true as const };
  });

  route(app, strongerMethods.endNudgeSnooze, async ({ actor }) => {
    await ctx.db
      .updateTable('stronger_method_nudges')
      .set({ snoozed_until: ctx.clock.now() })
      .where('user_id', '=', actor.user.id)
      .execute();
    return { ok: true as const };
  });

  route(app, api.readOutbox, async ({ query }) => {
    // E-mail reaches the outbox through the queue, after the change's commit: send what is due
    // first, so a reader right after a change sees its notice (the e2e tests, the dev page).
    if (ctx.config.outgoingMail.transport === 'outbox') await ctx.mail.flush();
    let q = ctx.db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit);
    if (query.to) q = q.where('recipient', '=', query.to);
    if (query.channel) q = q.where('channel', '=', query.channel);
    const rows = await q.execute();
    return {
      messages: rows.map((r) => ({
        id: r.id,
        channel: r.channel as 'sms' | 'voice' | 'email',
        to: r.recipient,
        subject: r.subject,
        body: r.body,
        createdAt: new Date(r.created_at).toISOString(),
      })),
    };
  });
}

import type { FastifyInstance } from 'fastify';
import { appPasswords as api } from '../../../shared/api/index.ts';
import { writeVerificationLog } from '../../audit/verification-log.ts';
import { MANAGING_STAGES, requireRecentVerification, requireStage, type Actor } from '../../auth/guards.ts';
import type { ServerContext } from '../../context.ts';
import { newId } from '../../crypto/random.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { route } from '../../http/route.ts';
import { notifyAppPasswordChanged, type AppPasswordChange } from '../../notify/security-info-changed.ts';
import { getPolicy } from '../../security-info/policy-store.ts';
import { formatAppPassword, generateAppPassword, hashAppPassword } from './app-password-secret.ts';
import { deleteAllAppPasswordsOf, listAppPasswordsOf } from './store.ts';

async function recordChange(
  ctx: ServerContext,
  actor: Actor,
  change: AppPasswordChange,
  detail: { id?: string; name?: string; count?: number },
  clientIp: string,
) {
  await writeVerificationLog(ctx, {
    user: actor.user,
    event: `security_info.${change}`,
    authMode: 'app_password',
    result: 'success',
    deviceToken: detail.id ?? null,
    clientIp,
  });
  await notifyAppPasswordChanged(ctx, actor.user, change, detail);
}

export function appPasswordRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.listAppPasswords, async ({ session }) => {
    const actor = await requireStage(ctx, session, ['signed_in']);
    return listAppPasswordsOf(ctx, actor.user.id, await getPolicy(ctx));
  });

  route(app, api.createAppPassword, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, ['signed_in']);
    const policy = await getPolicy(ctx);
    if (!policy.appPasswords.allowed) throw new ApiError(403, 'app_passwords_disabled');
    await requireRecentVerification(ctx, actor, policy);
    const raw = generateAppPassword();
    const id = newId();
    const now = ctx.clock.now();
    await ctx.db.transaction().execute(async (trx) => {
      const { n } = await trx
        .selectFrom('app_passwords')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', actor.user.id)
        .executeTakeFirstOrThrow();
      if (Number(n) >= policy.appPasswords.maxPerUser) {
        throw new ApiError(409, 'app_password_limit_reached');
      }
      await trx
        .insertInto('app_passwords')
        .values({
          id,
          user_id: actor.user.id,
          name: body.name,
          hash: hashAppPassword(ctx.keys.appPasswordHashing, raw),
          created_at: now,
          last_used_at: null,
          last_used_ip: null,
        })
        .execute();
    });
    await recordChange(ctx, actor, 'app_password_created', { id, name: body.name }, req.ip);
    return {
      item: { id, name: body.name, createdAt: new Date(now).toISOString(), lastUsedAt: null, lastUsedIp: null },
      // The only time the value exists outside the user's client: it is not stored, logged or shown again.
      password: formatAppPassword(raw),
    };
  });

  route(app, api.deleteAppPassword, async ({ session, params, req }) => {
    const actor = await requireStage(ctx, session, ['signed_in']);
    const policy = await getPolicy(ctx);
    await requireRecentVerification(ctx, actor, policy);
    const row = await ctx.db
      .selectFrom('app_passwords')
      .select(['id', 'name'])
      .where('id', '=', params.appPasswordId)
      .where('user_id', '=', actor.user.id)
      .executeTakeFirst();
    if (!row) throw notFound();
    await ctx.db.deleteFrom('app_passwords').where('id', '=', row.id).execute();
    await recordChange(ctx, actor, 'app_password_deleted', { id: row.id, name: row.name }, req.ip);
    return listAppPasswordsOf(ctx, actor.user.id, policy);
  });

  route(app, api.deleteAllAppPasswords, async ({ session, req }) => {
    // Deleting is allowed even when the policy now forbids app passwords: that is when it matters most.
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    await requireRecentVerification(ctx, actor, policy);
    const count = await deleteAllAppPasswordsOf(ctx, actor.user.id);
    if (count > 0) await recordChange(ctx, actor, 'app_passwords_deleted_all', { count }, req.ip);
    return listAppPasswordsOf(ctx, actor.user.id, policy);
  });
}

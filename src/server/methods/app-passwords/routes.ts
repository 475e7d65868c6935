import type { FastifyInstance } from 'fastify';
import { appPasswords as api } from '../../../shared/api/index.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import type { Actor } from '../../core/auth/guards.ts';
import type { ServerContext } from '../../core/context.ts';
import { newId } from '../../core/crypto/random.ts';
import { ApiError, notFound } from '../../core/api-error.ts';
import { route } from '../../core/http/route.ts';
import { notifyAppPasswordChanged, type AppPasswordChange } from '../../core/notify/security-info-changed.ts';
import { formatAppPassword, generateAppPassword, hashAppPassword } from './app-password-secret.ts';
import { deleteAllAppPasswordsOf, deleteAppPasswordOf, insertAppPasswordWithin, listAppPasswordsOf } from './store.ts';

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

  route(app, api.listAppPasswords, async ({ actor, policy }) => listAppPasswordsOf(ctx, actor.user.id, policy));

  route(app, api.createAppPassword, async ({ actor, policy, body, req }) => {
    if (!policy.appPasswords.allowed) throw new ApiError(403, 'app_passwords_disabled');
    const raw = generateAppPassword();
    const id = newId();
    const now = ctx.clock.now();
    const hash = hashAppPassword(ctx.keys.appPasswordHashing, raw);
    await insertAppPasswordWithin(ctx, policy.appPasswords.maxPerUser, {
      id,
      userId: actor.user.id,
      name: body.name,
      hash,
      createdAt: now,
    });
    await recordChange(ctx, actor, 'app_password_created', { id, name: body.name }, req.ip);
    return {
      item: { id, name: body.name, createdAt: new Date(now).toISOString(), lastUsedAt: null, lastUsedIp: null },
      // The only time the value exists outside the user's client: it is not stored, logged or shown again.
      password: formatAppPassword(raw),
      // What to type into the mail app beside it (MAIL_CLIENT_*), shown in the help.
      mailServers: ctx.config.mail.clientServers,
    };
  });

  route(app, api.deleteAppPassword, async ({ actor, policy, params, req }) => {
    const deleted = await deleteAppPasswordOf(ctx, actor.user.id, params.appPasswordId);
    if (!deleted) throw notFound();
    await recordChange(ctx, actor, 'app_password_deleted', deleted, req.ip);
    return listAppPasswordsOf(ctx, actor.user.id, policy);
  });

  // Deleting is allowed even when the policy now forbids app passwords: that is when it matters most.
  route(app, api.deleteAllAppPasswords, async ({ actor, policy, req }) => {
    const count = await deleteAllAppPasswordsOf(ctx, actor.user.id);
    if (count > 0) await recordChange(ctx, actor, 'app_passwords_deleted_all', { count }, req.ip);
    return listAppPasswordsOf(ctx, actor.user.id, policy);
  });
}

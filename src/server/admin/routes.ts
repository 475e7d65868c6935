import type { FastifyInstance } from 'fastify';
import { admin as api } from '../../shared/api/index.ts';
import { writeVerificationLog } from '../audit/verification-log.ts';
import { requireRecentVerification, requireStage, type Actor } from '../auth/guards.ts';
import type { ServerContext } from '../context.ts';
import type { SessionRecord } from '../auth/session-store.ts';
import { forbidden, notFound } from '../http/api-error.ts';
import { route } from '../http/route.ts';
import { deleteAllAppPasswordsOf } from '../methods/app-passwords/store.ts';
import { notifyAppPasswordChanged } from '../notify/security-info-changed.ts';
import { getPolicy, savePolicy } from '../security-info/policy-store.ts';
import { findUserByUsername } from '../users/users.ts';

async function requireAdmin(ctx: ServerContext, session: SessionRecord | null): Promise<Actor> {
  const actor = await requireStage(ctx, session, ['signed_in']);
  if (actor.user.is_admin !== 1) throw forbidden();
  return actor;
}

export function adminRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getOrgPolicy, async ({ session }) => {
    await requireAdmin(ctx, session);
    return getPolicy(ctx);
  });

  route(app, api.setOrgPolicy, async ({ session, body, req }) => {
    const actor = await requireAdmin(ctx, session);
    await requireRecentVerification(ctx, actor, await getPolicy(ctx));
    await savePolicy(ctx, body);
    await writeVerificationLog(ctx, {
      user: actor.user,
      event: 'admin.policy_changed',
      authMode: 'none',
      result: 'success',
      clientIp: req.ip,
    });
    return getPolicy(ctx);
  });

  route(app, api.adminDeleteAppPasswords, async ({ session, params, req }) => {
    const actor = await requireAdmin(ctx, session);
    await requireRecentVerification(ctx, actor, await getPolicy(ctx));
    const user = await findUserByUsername(ctx, params.username);
    if (!user) throw notFound();
    const deleted = await deleteAllAppPasswordsOf(ctx, user.id);
    await writeVerificationLog(ctx, {
      user,
      event: 'admin.app_passwords_deleted_all',
      authMode: 'app_password',
      result: 'success',
      clientIp: req.ip,
    });
    if (deleted > 0) await notifyAppPasswordChanged(ctx, user, 'app_passwords_deleted_all', { count: deleted });
    return { deleted };
  });
}

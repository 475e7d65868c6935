import type { FastifyInstance } from 'fastify';
import { admin as api } from '../../shared/api/index.ts';
import { writeVerificationLog } from '../core/audit/verification-log.ts';
import { ApiError, notFound } from '../core/api-error.ts';
import { route } from '../core/http/route.ts';
import { deleteAllAppPasswordsOf } from '../methods/app-passwords/store.ts';
import { notifyAppPasswordChanged } from '../core/notify/security-info-changed.ts';
import { inTransaction } from '../core/transaction.ts';
import { getPolicy, savePolicy } from '../core/security-info/policy-store.ts';
import { findUserByUsername } from '../core/users/users.ts';
import { previewPolicyChange, wouldStrand } from './policy-impact.ts';
import { adminUserRoutes } from './user-routes.ts';

export function adminRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getOrgPolicy, async ({ policy }) => policy);

  route(app, api.previewOrgPolicy, async ({ actor, policy, body }) => previewPolicyChange(ctx, actor.user.id, policy, body));

  route(app, api.setOrgPolicy, async ({ actor, policy, body, req }) => {
    // An administrator who turns off their own last usable method could not verify again to undo it.
    if (await wouldStrand(ctx, actor.user.id, policy, body)) throw new ApiError(409, 'policy_locks_out_admin');
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

  route(app, api.adminDeleteAppPasswords, async ({ params, req }) => {
    const user = await findUserByUsername(ctx, params.username);
    if (!user) throw notFound();
    const deleted = await inTransaction(ctx, async (tx) => {
      const count = await deleteAllAppPasswordsOf(tx, user.id);
      await writeVerificationLog(tx, {
        user,
        event: 'admin.app_passwords_deleted_all',
        authMode: 'app_password',
        result: 'success',
        clientIp: req.ip,
      });
      if (count > 0) await notifyAppPasswordChanged(tx, user, 'app_passwords_deleted_all', { count });
      return count;
    });
    return { deleted };
  });

  adminUserRoutes(app);
}

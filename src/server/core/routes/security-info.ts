import type { FastifyInstance } from 'fastify';
import { securityInfo as api } from '../../../shared/api/index.ts';
import { recentActivityOf, toActivityEntry } from '../audit/verification-log.ts';
import { route } from '../http/route.ts';
import { buildSecurityInfo, deleteMethod, renameMethod, setDefaultMethod } from '../security-info/service.ts';

/** The endpoints every kind shares: the list, the default, rename, delete, and the user's own activity. */
export function securityInfoRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getSecurityInfo, async ({ actor, policy }) => buildSecurityInfo(ctx, actor.user, policy));

  route(app, api.setDefaultMethod, async ({ actor, policy, body, req }) => {
    const user = await setDefaultMethod(ctx, { actor, policy, clientIp: req.ip }, body.methodId, body.delivery);
    return buildSecurityInfo(ctx, user, policy);
  });

  route(app, api.renameMethod, async ({ actor, policy, params, body, req }) => {
    await renameMethod(ctx, { actor, policy, clientIp: req.ip }, params.methodId, body.label);
    return buildSecurityInfo(ctx, actor.user, policy);
  });

  route(app, api.deleteMethod, async ({ actor, policy, params, req }) => {
    const user = await deleteMethod(ctx, { actor, policy, clientIp: req.ip }, params.methodId);
    return buildSecurityInfo(ctx, user, policy);
  });

  route(app, api.getActivity, async ({ actor, query }) => {
    const rows = await recentActivityOf(ctx, actor.user.id, query.limit);
    return {
      entries: rows.map(toActivityEntry),
    };
  });
}

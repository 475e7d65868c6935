import type { FastifyInstance } from 'fastify';
import { securityInfo as api } from '../../../shared/api/index.ts';
import { maskPhoneNumber } from '../audit/phone-mask.ts';
import { recentActivityOf } from '../audit/verification-log.ts';
import { route } from '../http/route.ts';
import { buildSecurityInfo, deleteMethod, renameMethod, setDefaultMethod } from '../security-info/service.ts';

/** The endpoints every kind shares: the list, the default, rename, delete, and the user's own activity. */
export function securityInfoRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getSecurityInfo, async ({ actor, policy }) => buildSecurityInfo(ctx, actor.user, policy));

  route(app, api.setDefaultMethod, async ({ actor, policy, body, req }) => {
    const user = await setDefaultMethod(ctx, { actor, policy, clientIp: req.ip }, body.methodId);
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
      entries: rows.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        event: r.event,
        authMode: r.auth_mode,
        result: r.result === 'success' ? ('success' as const) : ('denied' as const),
        denialReason: r.denial_reason,
        // The user's own view masks the number, like every other place but the owner's method list.
        phone: r.phone ? maskPhoneNumber(r.phone) : null,
        deviceToken: r.device_token,
        clientIp: r.client_ip,
        serverName: r.server_name,
      })),
    };
  });
}

import type { FastifyInstance } from 'fastify';
import { strongerMethods as api } from '../../../shared/api/index.ts';
import { ApiError } from '../api-error.ts';
import type { Actor } from '../auth/guards.ts';
import { route } from '../http/route.ts';
import { nudgeFor, nudgeRecord, recordSnooze } from '../security-info/nudge.ts';
import { buildSecurityInfo } from '../security-info/service.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';

/** The invitation to add a stronger method (docs/reference.md#stronger-methods-first). */
export function strongerMethodsRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  const current = async (actor: Actor, policy: OrgPolicy) =>
    nudgeFor(await buildSecurityInfo(ctx, actor.user, policy), policy, await nudgeRecord(ctx, actor.user.id), ctx.clock.now());

  route(app, api.getNudge, async ({ actor, policy }) => current(actor, policy));

  route(app, api.snoozeNudge, async ({ actor, policy }) => {
    // Only an invitation on screen can be put off, so the count stays the number of times the user said "not now".
    if (!(await current(actor, policy)).show) throw new ApiError(409, 'nudge_not_shown');
    await recordSnooze(ctx, actor.user.id, ctx.clock.now());
    return current(actor, policy);
  });
}

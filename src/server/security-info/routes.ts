import type { FastifyInstance } from 'fastify';
import type { SecurityInfo } from '../../shared/api/security-info.ts';
import { securityInfo as api } from '../../shared/api/index.ts';
import { methodKinds, type MethodKind } from '../../shared/policy.ts';
import { MANAGING_STAGES, requireRecentVerification, requireStage, type Actor } from '../auth/guards.ts';
import type { ServerContext } from '../context.ts';
import { ApiError, notFound } from '../http/api-error.ts';
import { route } from '../http/route.ts';
import { getUser } from '../users/users.ts';
import { logFactsOf, recordSecurityInfoChange } from './changes.ts';
import { listMethods, summarizeMethods, usableMethods } from './methods.ts';
import { getPolicy } from './policy-store.ts';
import { maskPhoneNumber } from '../methods/phone/phone-number.ts';

/** How many of a kind one user may have; the reference product allows 5 authenticator apps. */
export async function methodLimits(ctx: ServerContext): Promise<Record<MethodKind, number>> {
  const policy = await getPolicy(ctx);
  return { authenticator: policy.authenticatorMaxPerUser, phone: 3, webauthn: 10, hardware_token: 5 };
}

export async function buildSecurityInfo(ctx: ServerContext, userId: string): Promise<SecurityInfo> {
  const [user, policy, methods, limits] = await Promise.all([
    getUser(ctx, userId),
    getPolicy(ctx),
    listMethods(ctx, userId),
    methodLimits(ctx),
  ]);
  const summaries = await summarizeMethods(ctx, user, methods);
  return {
    methods: summaries,
    defaultMethodId: methods.some((m) => m.id === user.default_method_id) ? user.default_method_id : null,
    canAdd: methodKinds
      .filter((kind) => policy.enabledMethods[kind] && kind !== 'hardware_token')
      .map((kind) => ({ kind, remaining: Math.max(0, limits[kind] - methods.filter((m) => m.kind === kind).length) })),
  };
}

async function ownMethod(ctx: ServerContext, actor: Actor, methodId: string) {
  const method = await ctx.db
    .selectFrom('methods')
    .selectAll()
    .where('id', '=', methodId)
    .where('user_id', '=', actor.user.id)
    .executeTakeFirst();
  if (!method) throw notFound();
  return method;
}

export function securityInfoRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getSecurityInfo, async ({ session }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    return buildSecurityInfo(ctx, actor.user.id);
  });

  route(app, api.setDefaultMethod, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    await requireRecentVerification(ctx, actor, policy);
    const method = await ownMethod(ctx, actor, body.methodId);
    if (!policy.enabledMethods[method.kind as MethodKind]) throw new ApiError(409, 'method_not_allowed');
    if (actor.user.default_method_id !== method.id) {
      await ctx.db.updateTable('users').set({ default_method_id: method.id }).where('id', '=', actor.user.id).execute();
      await recordSecurityInfoChange(ctx, {
        user: actor.user,
        change: 'default_changed',
        method: { id: method.id, kind: method.kind as MethodKind, label: method.label },
        clientIp: req.ip,
        ...(await logFactsOf(ctx, { id: method.id, kind: method.kind as MethodKind })),
      });
    }
    return buildSecurityInfo(ctx, actor.user.id);
  });

  route(app, api.renameMethod, async ({ session, params, body, req }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    await requireRecentVerification(ctx, actor, await getPolicy(ctx));
    const method = await ownMethod(ctx, actor, params.methodId);
    if (method.label !== body.label) {
      await ctx.db.updateTable('methods').set({ label: body.label }).where('id', '=', method.id).execute();
      await recordSecurityInfoChange(ctx, {
        user: actor.user,
        change: 'method_renamed',
        method: { id: method.id, kind: method.kind as MethodKind, label: body.label },
        clientIp: req.ip,
        ...(await logFactsOf(ctx, { id: method.id, kind: method.kind as MethodKind })),
      });
    }
    return buildSecurityInfo(ctx, actor.user.id);
  });

  route(app, api.deleteMethod, async ({ session, params, req }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    await requireRecentVerification(ctx, actor, policy);
    const method = await ownMethod(ctx, actor, params.methodId);
    const usable = usableMethods(await listMethods(ctx, actor.user.id), policy);
    const remaining = usable.filter((m) => m.id !== method.id);
    // FACTS.md: never let a user delete their last usable method.
    if (remaining.length === 0 && usable.some((m) => m.id === method.id)) {
      throw new ApiError(409, 'method_last_usable');
    }
    // Read before the delete: the kind's own rows go with the method (foreign keys cascade).
    const facts = await logFactsOf(ctx, { id: method.id, kind: method.kind as MethodKind });
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('methods').where('id', '=', method.id).execute();
      if (actor.user.default_method_id === method.id) {
        await trx
          .updateTable('users')
          .set({ default_method_id: remaining[0]?.id ?? null })
          .where('id', '=', actor.user.id)
          .execute();
      }
    });
    await recordSecurityInfoChange(ctx, {
      user: actor.user,
      change: 'method_deleted',
      method: { id: method.id, kind: method.kind as MethodKind, label: method.label },
      clientIp: req.ip,
      ...facts,
    });
    return buildSecurityInfo(ctx, actor.user.id);
  });

  route(app, api.getActivity, async ({ session, query }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const rows = await ctx.db
      .selectFrom('verification_log')
      .selectAll()
      .where('user_id', '=', actor.user.id)
      .orderBy('at', 'desc')
      .limit(query.limit)
      .execute();
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

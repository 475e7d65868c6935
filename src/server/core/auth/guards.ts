import type { EndpointGuard } from '../../../shared/endpoint.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { ApiError, forbidden, unauthenticated } from '../api-error.ts';
import type { ServerContext } from '../context.ts';
import { usableMethodsOf } from '../security-info/method-store.ts';
import { getPolicy } from '../security-info/policy-store.ts';
import { getUser, type UserRow } from '../users/users.ts';
import type { SessionRecord, SessionStage } from '../sessions/session-store.ts';

export interface Actor {
  session: SessionRecord;
  user: UserRow;
}

/** Where a user manages security info: fully signed in, or inside the registration interruption. */
export const MANAGING_STAGES = ['signed_in', 'registration'] as const satisfies readonly SessionStage[];
/** Where a user may prove themselves with a method: the second step, and re-verification before a change. */
export const VERIFYING_STAGES = ['second_factor', 'signed_in', 'registration'] as const satisfies readonly SessionStage[];

/** The session's user, when the session has reached one of the given stages. */
export async function requireStage(ctx: ServerContext, session: SessionRecord | null, stages: readonly SessionStage[]): Promise<Actor> {
  if (!session?.userId || !stages.includes(session.stage)) throw unauthenticated();
  return { session, user: await getUser(ctx, session.userId) };
}

/**
 * Security info changes only shortly after a second-factor verification
 * (policy, default 10 minutes; OWASP ASVS 5.0 V7.5.3 asks for a fresh
 * authentication before sensitive changes). A user with no usable method yet
 * is registering their first one, where the password is all there is.
 */
export async function requireRecentVerification(ctx: ServerContext, actor: Actor, policy: OrgPolicy): Promise<void> {
  const at = actor.session.secondFactorAt;
  if (at !== null && ctx.clock.now() - at <= policy.reauthWindowSeconds * 1000) return;
  if ((await usableMethodsOf(ctx, actor.user.id, policy)).length === 0) return;
  throw new ApiError(403, 'reauth_required');
}

/** What an endpoint's declared guard demands, checked before its handler runs; the user and policy are read once. */
export async function guard(
  ctx: ServerContext,
  session: SessionRecord | null,
  declared: EndpointGuard,
): Promise<{ actor: Actor; policy: OrgPolicy }> {
  const actor = await requireStage(ctx, session, declared.stages);
  if (declared.admin && actor.user.is_admin !== 1) throw forbidden();
  const policy = await getPolicy(ctx);
  if (declared.recentVerification) await requireRecentVerification(ctx, actor, policy);
  return { actor, policy };
}

export function reauthValidUntil(session: SessionRecord, policy: OrgPolicy): number | null {
  return session.secondFactorAt === null ? null : session.secondFactorAt + policy.reauthWindowSeconds * 1000;
}

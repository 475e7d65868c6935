import type { OrgPolicy } from '../../shared/policy.ts';
import type { ServerContext } from '../context.ts';
import { ApiError, unauthenticated } from '../http/api-error.ts';
import { listMethods, usableMethods } from '../security-info/methods.ts';
import { getUser, type UserRow } from '../users/users.ts';
import type { SessionRecord, SessionStage } from './session-store.ts';

export interface Actor {
  session: SessionRecord;
  user: UserRow;
}

/** The session's user, when the session has reached one of the given stages. */
export async function requireStage(ctx: ServerContext, session: SessionRecord | null, stages: readonly SessionStage[]): Promise<Actor> {
  if (!session?.userId || !stages.includes(session.stage)) throw unauthenticated();
  return { session, user: await getUser(ctx, session.userId) };
}

/** Where a user manages security info: fully signed in, or inside the registration interruption. */
export const MANAGING_STAGES = ['signed_in', 'registration'] as const satisfies readonly SessionStage[];

/**
 * Security info changes only shortly after a second-factor verification
 * (policy, default 10 minutes; OWASP ASVS 5.0 V7.5.3 asks for a fresh
 * authentication before sensitive changes). A user with no usable method yet
 * is registering their first one, where the password is all there is.
 */
export async function requireRecentVerification(ctx: ServerContext, actor: Actor, policy: OrgPolicy): Promise<void> {
  const usable = usableMethods(await listMethods(ctx, actor.user.id), policy);
  if (usable.length === 0) return;
  const at = actor.session.secondFactorAt;
  if (at === null || ctx.clock.now() - at > policy.reauthWindowSeconds * 1000) {
    throw new ApiError(403, 'reauth_required');
  }
}

export function reauthValidUntil(session: SessionRecord, policy: OrgPolicy): number | null {
  return session.secondFactorAt === null ? null : session.secondFactorAt + policy.reauthWindowSeconds * 1000;
}

import type { FastifyReply } from 'fastify';
import type { SessionInfo } from '../../../shared/api/session.ts';
import type { ServerContext } from '../context.ts';
import { setSessionCookie } from './session-cookie.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { markMethodUsed } from '../security-info/method-store.ts';
import type { Actor } from './guards.ts';
import { stageAfterSignIn } from './password-change/next-stage.ts';
import { advanceSession } from '../sessions/session-store.ts';
import { buildSessionInfo } from './session-info.ts';
import { RECOVERY_CODE_PROOF, recordResetProof } from './password-reset/proofs.ts';
import type { SessionStage } from '../sessions/session-store.ts';

/** How the verification log names a proof made in this session stage. */
export function verificationEvent(stage: SessionStage): string {
  if (stage === 'second_factor') return 'sign_in.second_factor';
  if (stage === 'password_reset') return 'password_reset.proof';
  return 'reauthentication';
}

/**
 * After any method proved the user (sign-in's second step, or a
 * re-verification before a change): a new session id, the verification time
 * recorded, and the password-change or registration interruption when one applies.
 */
export async function completeSecondFactor(
  ctx: ServerContext,
  reply: FastifyReply,
  actor: Actor,
  policy: OrgPolicy,
  /** The method that proved the user; null for a temporary access pass, which is no method. */
  methodId: string | null,
): Promise<SessionInfo> {
  if (actor.session.stage === 'password_reset') {
    // Proving who one is to reset a password signs nobody in: the proof joins the reset, the session stays as it is.
    await recordResetProof(ctx, reply.request, actor, methodId);
    if (methodId !== null && methodId !== RECOVERY_CODE_PROOF) await markMethodUsed(ctx, methodId);
    return buildSessionInfo(ctx, actor.session, { user: actor.user, policy });
  }
  if (methodId !== null) await markMethodUsed(ctx, methodId);
  const now = ctx.clock.now();
  let stage = actor.session.stage;
  let reason: string | null = actor.session.registrationReason;
  const signingIn = stage === 'second_factor';
  if (signingIn) {
    ({ stage, reason } = await stageAfterSignIn(ctx, actor.user, policy, { clientIp: reply.request.ip, clearAdminReset: true }));
  }
  const { token, session } = await advanceSession(ctx, actor.session, {
    userId: actor.user.id,
    stage,
    secondFactorAt: now,
    registrationReason: reason,
    // The password and a method just proved the user: a passkey upgrade may follow (docs/reference.md#stronger-methods-first).
    ...(signingIn && stage === 'signed_in' && methodId !== null ? { passwordSignInAt: now } : {}),
  });
  setSessionCookie(reply, token);
  return buildSessionInfo(ctx, session, { user: actor.user, policy });
}

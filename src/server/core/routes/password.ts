import type { FastifyInstance } from 'fastify';
import { passwordChange as changeApi, securityInfo as api } from '../../../shared/api/index.ts';
import type { PasswordStatus } from '../../../shared/api/security-info.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { ApiError, tooManyAttempts } from '../api-error.ts';
import { writeVerificationLog } from '../audit/verification-log.ts';
import type { ServerContext } from '../context.ts';
import { stageAfterSignIn } from '../auth/password-change/next-stage.ts';
import { setPassword } from '../auth/password-change/set-password.ts';
import { checkNewPassword, newPasswordRules } from '../auth/password-rules/new-password.ts';
import { passwordThrottleState, recordPasswordFailure } from '../auth/password-throttle.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { setSessionCookie } from '../auth/session-cookie.ts';
import { buildSessionInfo } from '../auth/session-info.ts';
import { route } from '../http/route.ts';
import { notifyPasswordChanged } from '../notify/security-info-changed.ts';
import { advanceSession } from '../sessions/session-store.ts';
import { inTransaction } from '../transaction.ts';
import type { UserRow } from '../users/users.ts';

function passwordStatus(ctx: ServerContext, user: UserRow, policy: OrgPolicy): PasswordStatus {
  return {
    ...newPasswordRules(ctx, user, policy),
    changedAt: new Date(user.password_changed_at ?? user.created_at).toISOString(),
    changeRequired: user.password_change_required_at !== null,
  };
}

export function passwordRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getPassword, async ({ actor, policy }) => passwordStatus(ctx, actor.user, policy));

  // The current password is asked for (OWASP ASVS 5.0 V6.2.3) and checked like sign-in's: the same
  // throttle, counted under the user's name and address, so a stolen session cannot guess it faster
  // than a sign-in form could.
  route(app, changeApi.changePassword, async ({ actor, policy, body, req, reply }) => {
    const { user, session } = actor;
    const throttle = await passwordThrottleState(ctx, user.username, req.ip);
    if (throttle.waitSeconds > 0) throw tooManyAttempts(throttle.waitSeconds);
    if (!(await verifyPassword(user.password_hash, body.currentPassword))) {
      await recordPasswordFailure(ctx, user.username, req.ip);
      await writeVerificationLog(ctx, {
        user,
        event: 'password_change',
        authMode: 'password',
        result: 'denied',
        denialReason: 'invalid_credentials',
        clientIp: req.ip,
      });
      throw new ApiError(400, 'current_password_incorrect');
    }
    await checkNewPassword(ctx, user, policy, body.newPassword);
    const passwordHash = await hashPassword(body.newPassword);

    await inTransaction(ctx, async (tx) => {
      // Every other session ends (OWASP ASVS 5.0 V7.4.3); this one goes on under a new id below.
      await setPassword(tx, user, passwordHash, session.idHash);
      await writeVerificationLog(tx, { user, event: 'password_change', authMode: 'password', result: 'success', clientIp: req.ip });
      await notifyPasswordChanged(tx, user);
    });
    const changed: UserRow = {
      ...user,
      password_hash: passwordHash,
      password_changed_at: ctx.clock.now(),
      password_change_required_at: null,
    };
    // Out of the interruption the sign-in goes on where it would have gone without it.
    const next =
      session.stage === 'password_change'
        ? await stageAfterSignIn(ctx, changed, policy, { clientIp: req.ip, clearAdminReset: session.secondFactorAt !== null })
        : { stage: session.stage, reason: session.registrationReason };
    const moved = await advanceSession(ctx, session, { userId: user.id, stage: next.stage, registrationReason: next.reason });
    setSessionCookie(reply, moved.token);
    return {
      session: await buildSessionInfo(ctx, moved.session, { user: changed, policy }),
      password: passwordStatus(ctx, changed, policy),
    };
  });
}

import type { FastifyInstance } from 'fastify';
import { session as api } from '../../../shared/api/index.ts';
import { writeVerificationLog } from '../audit/verification-log.ts';
import { ApiError, tooManyAttempts } from '../api-error.ts';
import { route } from '../http/route.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.ts';
import { listMethods, usableMethods } from '../security-info/method-store.ts';
import { hasUsableDefault } from '../security-info/default-method.ts';
import { getPolicy } from '../security-info/policy-store.ts';
import { clearReregisterReason, findUserByUsername, setUserLanguage } from '../users/users.ts';
import { pickLanguage } from '../i18n/translate.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { passwordThrottleState, recordPasswordFailure, recordPasswordSuccess } from '../auth/password-throttle.ts';
import { methodsRequiredToRegister } from '../auth/registration.ts';
import { stageAfterSignIn } from '../auth/password-change/next-stage.ts';
import { advanceSession, createAnonymousSession, destroySession } from '../sessions/session-store.ts';
import { buildSessionInfo } from '../auth/session-info.ts';

export function authRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getSession, async ({ session, reply }) => {
    if (session) return buildSessionInfo(ctx, session);
    // Every visitor gets a session (and with it a CSRF token) before signing in.
    const created = await createAnonymousSession(ctx);
    setSessionCookie(reply, created.token);
    return buildSessionInfo(ctx, created.session);
  });

  // Each thing is read once and written only when it changed: the policy and the methods once, the
  // back-off counters cleared only when they had failures, the language only when it is new.
  route(app, api.signIn, async ({ body, session, req, reply }) => {
    if (!session) throw new ApiError(403, 'csrf_failed');
    const throttle = await passwordThrottleState(ctx, body.username, req.ip);
    if (throttle.waitSeconds > 0) throw tooManyAttempts(throttle.waitSeconds);

    const user = await findUserByUsername(ctx, body.username);
    const ok = await verifyPassword(user?.password_hash, body.password);
    if (!user || !ok) {
      await recordPasswordFailure(ctx, body.username, req.ip);
      await writeVerificationLog(ctx, {
        user: user ?? { id: null, username: body.username.trim().toLowerCase().slice(0, 128) },
        event: 'sign_in.password',
        authMode: 'password',
        result: 'denied',
        denialReason: 'invalid_credentials',
        clientIp: req.ip,
      });
      // The same answer whether or not the account exists (OWASP ASVS 5.0 V6.3.8).
      throw new ApiError(401, 'invalid_credentials');
    }
    await recordPasswordSuccess(ctx, throttle);
    await writeVerificationLog(ctx, { user, event: 'sign_in.password', authMode: 'password', result: 'success', clientIp: req.ip });

    const policy = await getPolicy(ctx);
    const methods = await listMethods(ctx, user.id);
    const usable = await usableMethods(ctx, methods, policy);
    // Every method they had is turned off: the policy says whether a temporary access pass from an
    // administrator is needed (asked for at the second step) or the password alone lets them register again.
    const passNeeded = usable.length === 0 && methods.length > 0 && policy.registration.whenNoUsableMethod === 'temporary_access_pass';
    const { stage, reason } =
      usable.length > 0 || passNeeded
        ? { stage: 'second_factor' as const, reason: null }
        : await stageAfterSignIn(ctx, user, policy, { clientIp: req.ip, clearAdminReset: false, methods });
    // Messages to the user (notifications, SMS) follow the language they sign in with.
    const language = pickLanguage(req.headers['accept-language']);
    if (language !== user.language) {
      await setUserLanguage(ctx, user.id, language);
    }
    const next = await advanceSession(ctx, session, { userId: user.id, stage, secondFactorAt: null, registrationReason: reason });
    setSessionCookie(reply, next.token);
    return buildSessionInfo(ctx, next.session, { user: { ...user, language }, policy, methods });
  });

  route(app, api.completeRegistration, async ({ actor, policy, reply }) => {
    const usable = await usableMethods(ctx, await listMethods(ctx, actor.user.id), policy);
    // A usable default, and as many usable methods as the organisation asks for.
    if (usable.length < methodsRequiredToRegister(policy)) throw new ApiError(409, 'registration_incomplete');
    if (!(await hasUsableDefault(ctx, actor.user, usable, policy))) throw new ApiError(409, 'registration_incomplete');
    await clearReregisterReason(ctx, actor.user.id);
    const next = await advanceSession(ctx, actor.session, { userId: actor.user.id, stage: 'signed_in' });
    setSessionCookie(reply, next.token);
    return buildSessionInfo(ctx, next.session, { user: { ...actor.user, reregister_reason: null }, policy });
  });

  route(app, api.signOut, async ({ session, reply }) => {
    if (session) await destroySession(ctx, session);
    clearSessionCookie(reply);
    return { ok: true as const };
  });
}

import type { FastifyInstance } from 'fastify';
import { passwordReset as api } from '../../../shared/api/index.ts';
import type { PasswordResetState } from '../../../shared/api/password-reset.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { ApiError, tooManyAttempts } from '../api-error.ts';
import { writeVerificationLog } from '../audit/verification-log.ts';
import type { ServerContext } from '../context.ts';
import { clearFlowCookie, createFlow, loadFlow, setFlowCookie, type ResetFlow } from '../auth/password-reset/flow-store.ts';
import { setPassword } from '../auth/password-change/set-password.ts';
import { checkNewPassword, newPasswordRules } from '../auth/password-rules/new-password.ts';
import { hashPassword } from '../auth/passwords.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.ts';
import { consumeRate, type RateLimit } from '../auth/throttle.ts';
import { route } from '../http/route.ts';
import { notifyPasswordReset } from '../notify/security-info-changed.ts';
import { listMethods, usableMethods } from '../security-info/method-store.ts';
import { getPolicy } from '../security-info/policy-store.ts';
import { signInOptions } from '../security-info/summaries.ts';
import { advanceSession } from '../sessions/session-store.ts';
import { inTransaction } from '../transaction.ts';
import { recoveryCodeOffered } from '../recovery-codes/service.ts';
import { RECOVERY_CODE_PROOF } from '../auth/password-reset/proofs.ts';
import { findUserByUsername, getUser, normalizeUsername, type UserRow } from '../users/users.ts';

/**
 * Starting a reset is limited like signing in, keyed by the user name as typed (so an unknown
 * name behaves like a known one) and by client address (docs/reference.md#self-service-password-reset).
 * Each proof is then held by its own kind's throttle.
 */
export const resetStartPerAccount: RateLimit = { limit: 10, windowSeconds: 60 * 60 };
export const resetStartPerIp: RateLimit = { limit: 30, windowSeconds: 15 * 60 };

/**
 * The start answers no sooner than this after the request came in, whatever it found: looking up
 * an account and describing its methods takes longer than finding nobody, and the time of an
 * answer must not tell which names exist (docs/reference.md#constant-work-for-unknown-accounts).
 */
export const RESET_START_FLOOR_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wall time, not the injected clock: this is about how long the answer takes, not about what time it is. */
async function answerNoSoonerThan(startedAt: number, floorMs: number): Promise<void> {
  const left = floorMs - (performance.now() - startedAt);
  if (left > 0) await sleep(left);
}

async function stateOf(ctx: ServerContext, flow: ResetFlow, policy: OrgPolicy, user: UserRow | null): Promise<PasswordResetState> {
  if (!user || flow.userId === null) return { step: 'contact_admin' };
  if (flow.proofs.length >= flow.methodsRequired) {
    return { step: 'choose_password', ...newPasswordRules(ctx, user, policy) };
  }
  const options = (await signInOptions(ctx, user, policy)).filter((o) => !o.turnedOff);
  return {
    step: 'prove',
    methodsRequired: flow.methodsRequired === 2 ? 2 : 1,
    options,
    provedMethodIds: flow.proofs.map((p) => p.methodId),
    recoveryCode: !flow.proofs.some((p) => p.methodId === RECOVERY_CODE_PROOF) && (await recoveryCodeOffered(ctx, policy, user.id)),
  };
}

export function passwordResetRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.startPasswordReset, async ({ body, session, req, reply }) => {
    const startedAt = performance.now();
    if (!session) throw new ApiError(403, 'csrf_failed');
    // A reset starts signed out; a signed-in person changes their password instead.
    if (session.stage !== 'anonymous' && session.stage !== 'password_reset') throw new ApiError(409, 'password_reset_step');
    const name = normalizeUsername(body.username);
    const perAccount = await consumeRate(ctx, `reset:acct:${name}`, resetStartPerAccount);
    const perIp = await consumeRate(ctx, `reset:ip:${req.ip}`, resetStartPerIp);
    if (!perAccount.allowed || !perIp.allowed) {
      await answerNoSoonerThan(startedAt, RESET_START_FLOOR_MS);
      throw tooManyAttempts(Math.max(perAccount.retryAfterSeconds, perIp.retryAfterSeconds));
    }

    const policy = await getPolicy(ctx);
    const user = await findUserByUsername(ctx, body.username);
    // The same queries for nobody as for someone: no account's methods are found under an id that is never issued.
    const usable = await usableMethods(ctx, await listMethods(ctx, user?.id ?? '-'), policy);
    // Recovery codes left count as one proof more (docs/reference.md#self-service-password-reset).
    const recoveryCode = await recoveryCodeOffered(ctx, policy, user?.id ?? '-');
    const required = policy.passwordReset.methodsRequired;
    const canReset = policy.passwordReset.enabled && user !== undefined && usable.length + (recoveryCode ? 1 : 0) >= required;

    let sessionHash = session.idHash;
    if (canReset) {
      const next = await advanceSession(ctx, session, { userId: user.id, stage: 'password_reset', secondFactorAt: null });
      setSessionCookie(reply, next.token);
      sessionHash = next.session.idHash;
    }
    const { token, flow } = await createFlow(ctx, { userId: canReset ? user.id : null, sessionHash, methodsRequired: required });
    setFlowCookie(reply, token);
    await writeVerificationLog(ctx, {
      user: user ?? { id: null, username: name.slice(0, 128) },
      event: 'password_reset.start',
      authMode: 'none',
      result: canReset ? 'success' : 'denied',
      ...(canReset ? {} : { denialReason: 'cannot_reset' }),
      clientIp: req.ip,
    });
    const state = await stateOf(ctx, flow, policy, canReset ? user : null);
    await answerNoSoonerThan(startedAt, RESET_START_FLOOR_MS);
    return state;
  });

  route(app, api.getPasswordReset, async ({ session, req }) => {
    const flow = await loadFlow(ctx, req, session);
    if (!flow) throw new ApiError(410, 'password_reset_expired');
    if (flow.userId === null) return { step: 'contact_admin' as const };
    if (session?.stage !== 'password_reset' || session.userId !== flow.userId) throw new ApiError(410, 'password_reset_expired');
    const [user, policy] = await Promise.all([getUser(ctx, flow.userId), getPolicy(ctx)]);
    return stateOf(ctx, flow, policy, user);
  });

  route(app, api.setNewPassword, async ({ body, session, req, reply }) => {
    const flow = await loadFlow(ctx, req, session);
    if (!flow || flow.userId === null || session?.stage !== 'password_reset' || session.userId !== flow.userId) {
      throw new ApiError(410, 'password_reset_expired');
    }
    // Calling this step directly, before the methods have proved the user, gets nowhere.
    if (flow.proofs.length < flow.methodsRequired) throw new ApiError(409, 'password_reset_step');
    const [user, policy] = await Promise.all([getUser(ctx, flow.userId), getPolicy(ctx)]);
    await checkNewPassword(ctx, user, policy, body.password);
    const passwordHash = await hashPassword(body.password);
    const facts = await Promise.all(
      flow.proofs.map(async (p) => ({
        proof: p,
        facts: (p.kind === 'recovery_code' ? undefined : await ctx.kinds.get(p.kind)?.logFacts?.(ctx, p.methodId)) ?? {},
      })),
    );

    await inTransaction(ctx, async (tx) => {
      // Every session of the user ends, this one included; app passwords are no session and stay.
      await setPassword(tx, user, passwordHash, null);
      // One record per method that proved the user, with the kind's own log fields.
      for (const { proof, facts: f } of facts) {
        await writeVerificationLog(tx, {
          user,
          event: 'password_reset',
          authMode: proof.kind === 'recovery_code' ? 'recovery_code' : (ctx.kinds.get(proof.kind)?.authMode ?? 'none'),
          result: 'success',
          phone: f.phone ?? null,
          deviceToken: f.deviceToken ?? (proof.kind === 'recovery_code' ? null : proof.methodId),
          clientIp: req.ip,
        });
      }
      await notifyPasswordReset(tx, user);
    });
    clearSessionCookie(reply);
    clearFlowCookie(reply);
    return { ok: true as const };
  });
}

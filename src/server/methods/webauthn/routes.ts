import type { FastifyInstance } from 'fastify';
import { webauthn as api } from '../../../shared/api/index.ts';
import { ApiError, tooManyAttempts } from '../../core/api-error.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import { stageAfterSignIn } from '../../core/auth/password-change/next-stage.ts';
import { completeSecondFactor, verificationEvent } from '../../core/auth/second-factor.ts';
import { setSessionCookie } from '../../core/auth/session-cookie.ts';
import { buildSessionInfo } from '../../core/auth/session-info.ts';
import { advanceSession } from '../../core/sessions/session-store.ts';
import { consumeRate, peekRate, type RateLimit } from '../../core/auth/throttle.ts';
import { route } from '../../core/http/route.ts';
import { getPolicy } from '../../core/security-info/policy-store.ts';
import { requireKindAllowed } from '../../core/security-info/service.ts';
import { getUser } from '../../core/users/users.ts';
import { verifyAssertion } from './assertion.ts';
import { CEREMONY_TIMEOUT_MS, consumeChallenge, issueChallenge } from './challenges.ts';
import { credentialsOfUser, toWebAuthnCredential, type CredentialRow } from './credentials.ts';
import { simpleWebAuthn } from './library.ts';
import { registerCredential, startCredentialRegistration, withExtensions } from './registration.ts';

/** Failed passkey sign-ins per client IP: signatures cannot be guessed, but probing for credential IDs can be slowed. */
const passkeyFailuresPerIp: RateLimit = { limit: 30, windowSeconds: 15 * 60 };

export function webauthnRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  const { rpId } = ctx.config.webauthn;

  route(app, api.startWebAuthnRegistration, ({ actor, policy, req }) =>
    startCredentialRegistration(
      ctx,
      { actor, policy, clientIp: req.ip },
      { purpose: 'register', authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' } },
    ),
  );

  route(app, api.finishWebAuthnRegistration, async ({ actor, policy, body, req }) => {
    requireKindAllowed(ctx, policy, 'webauthn');
    const { challenge, userId } = await consumeChallenge(ctx, {
      id: body.challengeId,
      purpose: 'register',
      sessionHash: actor.session.idHash,
    });
    if (userId !== actor.user.id) throw new ApiError(410, 'webauthn_expired');
    const method = await registerCredential(
      ctx,
      { actor, policy, clientIp: req.ip },
      { challenge, response: withExtensions(body.response), fallbackLabel: body.fallbackLabel },
    );
    return { method };
  });

  route(app, api.startWebAuthnVerification, async ({ actor, policy }) => {
    requireKindAllowed(ctx, policy, 'webauthn');
    const credentials = await credentialsOfUser(ctx, actor.user.id);
    if (credentials.length === 0) throw new ApiError(404, 'not_found');
    const { generateAuthenticationOptions } = await simpleWebAuthn();
    const options = await generateAuthenticationOptions({
      rpID: rpId,
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: 'required',
      allowCredentials: credentials.map((c) => ({ id: c.credential_id, transports: toWebAuthnCredential(c).transports })),
    });
    const challengeId = await issueChallenge(ctx, {
      purpose: 'verify',
      challenge: options.challenge,
      userId: actor.user.id,
      sessionHash: actor.session.idHash,
    });
    return { challengeId, options };
  });

  route(app, api.finishWebAuthnVerification, async ({ actor, policy, body, req, reply }) => {
    requireKindAllowed(ctx, policy, 'webauthn');
    const { challenge } = await consumeChallenge(ctx, { id: body.challengeId, purpose: 'verify', sessionHash: actor.session.idHash });
    const event = verificationEvent(actor.session.stage);
    const row = await verifyAssertion(ctx, {
      challenge,
      response: withExtensions(body.response),
      actor: actor.user,
      clientIp: req.ip,
      event,
    });
    await writeVerificationLog(ctx, {
      user: actor.user,
      event,
      authMode: 'webauthn',
      result: 'success',
      deviceToken: row.credential_id,
      clientIp: req.ip,
    });
    return completeSecondFactor(ctx, reply, actor, policy, row.method_id);
  });

  route(app, api.startPasskeySignIn, async ({ session }) => {
    if (!session) throw new ApiError(403, 'csrf_failed');
    requireKindAllowed(ctx, await getPolicy(ctx), 'webauthn');
    // No allowCredentials: the authenticator offers its discoverable credentials for this RP (WebAuthn L3 §5.4.4).
    const { generateAuthenticationOptions } = await simpleWebAuthn();
    const options = await generateAuthenticationOptions({ rpID: rpId, timeout: CEREMONY_TIMEOUT_MS, userVerification: 'required' });
    const challengeId = await issueChallenge(ctx, {
      purpose: 'passkey',
      challenge: options.challenge,
      userId: null,
      sessionHash: session.idHash,
    });
    return { challengeId, options };
  });

  route(app, api.finishPasskeySignIn, async ({ session, body, req, reply }) => {
    if (!session) throw new ApiError(403, 'csrf_failed');
    const policy = await getPolicy(ctx);
    requireKindAllowed(ctx, policy, 'webauthn');
    const ipKey = `passkey:ip:${req.ip}`;
    const ipState = await peekRate(ctx, ipKey, passkeyFailuresPerIp);
    if (!ipState.allowed) throw tooManyAttempts(ipState.retryAfterSeconds);
    const { challenge } = await consumeChallenge(ctx, { id: body.challengeId, purpose: 'passkey', sessionHash: session.idHash });
    let row: CredentialRow;
    try {
      row = await verifyAssertion(ctx, { challenge, response: withExtensions(body.response), clientIp: req.ip, event: 'sign_in.passkey' });
    } catch (error) {
      await consumeRate(ctx, ipKey, passkeyFailuresPerIp);
      throw error;
    }
    const user = await getUser(ctx, row.user_id);
    // A passkey with user verification is possession plus something the user knows or is (NIST SP 800-63B §5.1.8/§5.1.9).
    const { stage, reason } = await stageAfterSignIn(ctx, user, policy, { clientIp: req.ip, clearAdminReset: false });
    const next = await advanceSession(ctx, session, {
      userId: user.id,
      stage,
      secondFactorAt: ctx.clock.now(),
      registrationReason: reason,
    });
    setSessionCookie(reply, next.token);
    await writeVerificationLog(ctx, {
      user,
      event: 'sign_in.passkey',
      authMode: 'webauthn',
      result: 'success',
      deviceToken: row.credential_id,
      clientIp: req.ip,
    });
    return buildSessionInfo(ctx, next.session, { user, policy });
  });
}

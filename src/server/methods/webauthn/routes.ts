import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { FastifyInstance } from 'fastify';
import { webauthn as api } from '../../../shared/api/index.ts';
import { writeVerificationLog, type LogSubject } from '../../audit/verification-log.ts';
import { MANAGING_STAGES, requireRecentVerification, requireStage } from '../../auth/guards.ts';
import { registrationReason } from '../../auth/registration.ts';
import { completeSecondFactor } from '../../auth/second-factor.ts';
import { advanceSession, markSecondFactor } from '../../auth/session-store.ts';
import { buildSessionInfo } from '../../auth/session-info.ts';
import { consumeRate, peekRate, type RateLimit } from '../../auth/throttle.ts';
import type { ServerContext } from '../../context.ts';
import { newId } from '../../crypto/random.ts';
import { ApiError, tooManyAttempts } from '../../http/api-error.ts';
import { route } from '../../http/route.ts';
import { setSessionCookie } from '../../http/session-cookie.ts';
import { recordSecurityInfoChange, registerLogFacts } from '../../security-info/changes.ts';
import { listMethods, markMethodUsed, methodSummary, registerMethodDescriber, usableMethods } from '../../security-info/methods.ts';
import { getPolicy } from '../../security-info/policy-store.ts';
import { methodLimits } from '../../security-info/routes.ts';
import { getUser, type UserRow } from '../../users/users.ts';
import { authenticatorNameFromAaguid } from './authenticator-names.ts';
import { CEREMONY_TIMEOUT_MS, consumeChallenge, issueChallenge } from './challenges.ts';
import { credentialById, credentialsOfUser, toWebAuthnCredential, type CredentialRow } from './credentials.ts';

/** Failed passkey sign-ins per client IP: signatures cannot be guessed, but probing for credential IDs can be slowed. */
const passkeyFailuresPerIp: RateLimit = { limit: 30, windowSeconds: 15 * 60 };

/** The WebAuthn user handle: random, opaque, no personal data (WebAuthn L3 §14.6.1). */
const userHandleOf = (userId: string) => new TextEncoder().encode(userId);

function requireWebAuthnAllowed(enabled: boolean): void {
  if (!enabled) throw new ApiError(409, 'method_not_allowed');
}

/**
 * Verifies an assertion (WebAuthn L3 §7.2) against the stored credential and
 * moves its signature counter forward. Every refusal is written to the
 * verification log with the credential ID as the device token (FACTS.md).
 *
 * `actor` is the user the session already knows (second step, re-verification):
 * the credential must be theirs. Without one (passwordless), the user comes
 * from the credential, and the response's user handle must name that same
 * user (§7.2 step 6).
 */
async function verifyAssertion(
  ctx: ServerContext,
  input: { challenge: string; response: AuthenticationResponseJSON; actor?: UserRow; clientIp: string; event: string },
): Promise<CredentialRow> {
  const row = await credentialById(ctx, input.response.id);
  // A second step is logged under the user signing in, whoever owns the key they presented.
  const subject: LogSubject = input.actor ?? (row ? await getUser(ctx, row.user_id) : { id: null, username: '(unknown passkey)' });
  const deny = async (reason: string, code: 'webauthn_failed' | 'webauthn_unknown_credential') => {
    await writeVerificationLog(ctx, {
      user: subject,
      event: input.event,
      authMode: 'webauthn',
      result: 'denied',
      denialReason: reason,
      deviceToken: input.response.id,
      clientIp: input.clientIp,
    });
    return new ApiError(400, code);
  };
  if (!row || (input.actor && row.user_id !== input.actor.id)) throw await deny('unknown_credential', 'webauthn_unknown_credential');
  if (!input.actor) {
    const handle = input.response.response.userHandle;
    if (!handle || handle !== isoBase64URL.fromBuffer(userHandleOf(row.user_id)))
      throw await deny('user_handle_mismatch', 'webauthn_failed');
  }
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.challenge,
      expectedOrigin: ctx.config.webauthn.origins,
      expectedRPID: ctx.config.webauthn.rpId,
      credential: toWebAuthnCredential(row),
      // A passkey stands in for the password only when the user was verified (PIN, biometric): §6.2.3, NIST SP 800-63B §5.1.9.
      requireUserVerification: true,
    });
    // @simplewebauthn/server v13 reports a bad signature as verified: false rather than throwing.
    if (!result.verified) throw new Error('signature');
    newCounter = result.authenticationInfo.newCounter;
  } catch (error) {
    const regression = error instanceof Error && /counter/i.test(error.message);
    if (regression) warnCounterRegression(ctx, row);
    throw await deny(regression ? 'counter_regression' : 'verification_failed', 'webauthn_failed');
  }
  // §6.1.1 / §7.2 step 22: a counter is "kept" when either value is non-zero; it
  // must then increase. The check runs again in the UPDATE, so two instances
  // accepting assertions with the same counter at once cannot both succeed.
  if (newCounter > 0) {
    const advanced = await ctx.db
      .updateTable('webauthn_credentials')
      .set({ counter: newCounter })
      .where('method_id', '=', row.method_id)
      .where('counter', '<', newCounter)
      .executeTakeFirst();
    if (Number(advanced.numUpdatedRows) !== 1) {
      warnCounterRegression(ctx, row);
      throw await deny('counter_regression', 'webauthn_failed');
    }
  }
  await markMethodUsed(ctx, row.method_id);
  return row;
}

/** A counter that does not move forward may mean a cloned authenticator (WebAuthn L3 §6.1.1): operators should hear of it. */
function warnCounterRegression(ctx: ServerContext, row: CredentialRow): void {
  ctx.log.warn(
    { userId: row.user_id, methodId: row.method_id },
    'WebAuthn signature counter did not increase; possible cloned authenticator',
  );
}

export function webauthnRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  const { rpId, rpName, origins } = ctx.config.webauthn;
  registerMethodDescriber('webauthn', async (_ctx, methods) => new Map(methods.map((m) => [m.id, { detail: null }])));
  // Renames and deletes log the credential ID as the device token, like every other WebAuthn record.
  registerLogFacts('webauthn', async (c, methodId) => {
    const row = await c.db.selectFrom('webauthn_credentials').select('credential_id').where('method_id', '=', methodId).executeTakeFirst();
    return row ? { deviceToken: row.credential_id } : {};
  });

  route(app, api.startWebAuthnRegistration, async ({ session }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    requireWebAuthnAllowed(policy.enabledMethods.webauthn);
    await requireRecentVerification(ctx, actor, policy);
    const existing = await credentialsOfUser(ctx, actor.user.id);
    if (existing.length >= (await methodLimits(ctx)).webauthn) throw new ApiError(409, 'method_limit_reached');
    const options = await generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: actor.user.username,
      userDisplayName: [actor.user.first_name, actor.user.last_name].filter(Boolean).join(' ') || actor.user.username,
      userID: userHandleOf(actor.user.id),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      // The same authenticator cannot be registered twice (WebAuthn L3 §5.4 excludeCredentials).
      excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: toWebAuthnCredential(c).transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
    const challengeId = await issueChallenge(ctx, {
      purpose: 'register',
      challenge: options.challenge,
      userId: actor.user.id,
      sessionHash: actor.session.idHash,
    });
    return { challengeId, options: options as unknown as Record<string, unknown> };
  });

  route(app, api.finishWebAuthnRegistration, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    requireWebAuthnAllowed(policy.enabledMethods.webauthn);
    const { challenge, userId } = await consumeChallenge(ctx, {
      id: body.challengeId,
      purpose: 'register',
      sessionHash: actor.session.idHash,
    });
    if (userId !== actor.user.id) throw new ApiError(410, 'webauthn_expired');

    let info;
    try {
      const result = await verifyRegistrationResponse({
        response: { ...body.response, clientExtensionResults: body.response.clientExtensionResults ?? {} } as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: origins,
        expectedRPID: rpId,
        requireUserVerification: true,
      });
      if (!result.verified) throw new Error('not verified');
      info = result.registrationInfo;
    } catch {
      await writeVerificationLog(ctx, {
        user: actor.user,
        event: 'security_info.method_added',
        authMode: 'webauthn',
        result: 'denied',
        denialReason: 'verification_failed',
        deviceToken: body.response.id,
        clientIp: req.ip,
      });
      throw new ApiError(400, 'webauthn_failed');
    }
    const { credential } = info;
    const alreadyRegistered = async () => {
      await writeVerificationLog(ctx, {
        user: actor.user,
        event: 'security_info.method_added',
        authMode: 'webauthn',
        result: 'denied',
        denialReason: 'already_registered',
        deviceToken: credential.id,
        clientIp: req.ip,
      });
      return new ApiError(409, 'webauthn_already_registered');
    };
    // WebAuthn L3 §7.1 step 26: refuse a credential ID registered before (to anyone);
    // excludeCredentials stops honest browsers earlier, this stops the rest.
    if (await credentialById(ctx, credential.id)) throw await alreadyRegistered();

    const methodId = newId();
    const now = ctx.clock.now();
    // The model's name where the AAGUID is known; it is only a claim with "none" attestation, so it names, never trusts.
    const label = authenticatorNameFromAaguid(info.aaguid) ?? body.fallbackLabel;
    const limit = (await methodLimits(ctx)).webauthn;
    // Decided before the transaction: SQLite has one connection, which the transaction holds.
    const needsDefault = !usableMethods(await listMethods(ctx, actor.user.id), policy).some((m) => m.id === actor.user.default_method_id);
    try {
      await ctx.db.transaction().execute(async (trx) => {
        // Counted again inside the transaction: two ceremonies begun together cannot both pass the limit.
        const count = await trx
          .selectFrom('webauthn_credentials')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', actor.user.id)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= limit) throw new ApiError(409, 'method_limit_reached');
        await trx
          .insertInto('methods')
          .values({ id: methodId, user_id: actor.user.id, kind: 'webauthn', label, created_at: now, last_used_at: now })
          .execute();
        await trx
          .insertInto('webauthn_credentials')
          .values({
            method_id: methodId,
            user_id: actor.user.id,
            credential_id: credential.id,
            public_key: isoBase64URL.fromBuffer(credential.publicKey),
            counter: credential.counter,
            transports: JSON.stringify(credential.transports ?? body.response.response.transports ?? []),
            aaguid: info.aaguid,
            backed_up: info.credentialBackedUp ? 1 : 0,
          })
          .execute();
        if (needsDefault) await trx.updateTable('users').set({ default_method_id: methodId }).where('id', '=', actor.user.id).execute();
      });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // Two racing registrations of one credential: the unique index lets one through.
      if (await credentialById(ctx, credential.id)) throw await alreadyRegistered();
      throw error;
    }
    await markSecondFactor(ctx, actor.session);
    await recordSecurityInfoChange(ctx, {
      user: actor.user,
      change: 'method_added',
      method: { id: methodId, kind: 'webauthn', label },
      clientIp: req.ip,
      deviceToken: credential.id,
    });
    return { method: await methodSummary(ctx, actor.user.id, methodId) };
  });

  route(app, api.startWebAuthnVerification, async ({ session }) => {
    const actor = await requireStage(ctx, session, ['second_factor', 'signed_in', 'registration']);
    requireWebAuthnAllowed((await getPolicy(ctx)).enabledMethods.webauthn);
    const credentials = await credentialsOfUser(ctx, actor.user.id);
    if (credentials.length === 0) throw new ApiError(404, 'not_found');
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
    return { challengeId, options: options as unknown as Record<string, unknown> };
  });

  route(app, api.finishWebAuthnVerification, async ({ session, body, req, reply }) => {
    const actor = await requireStage(ctx, session, ['second_factor', 'signed_in', 'registration']);
    requireWebAuthnAllowed((await getPolicy(ctx)).enabledMethods.webauthn);
    const { challenge } = await consumeChallenge(ctx, { id: body.challengeId, purpose: 'verify', sessionHash: actor.session.idHash });
    const event = actor.session.stage === 'second_factor' ? 'sign_in.second_factor' : 'reauthentication';
    const row = await verifyAssertion(ctx, {
      challenge,
      response: { ...body.response, clientExtensionResults: body.response.clientExtensionResults ?? {} } as AuthenticationResponseJSON,
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
    return completeSecondFactor(ctx, reply, actor, row.method_id);
  });

  route(app, api.startPasskeySignIn, async ({ session }) => {
    if (!session) throw new ApiError(403, 'csrf_failed');
    requireWebAuthnAllowed((await getPolicy(ctx)).enabledMethods.webauthn);
    // No allowCredentials: the authenticator offers its discoverable credentials for this RP (WebAuthn L3 §5.4.4).
    const options = await generateAuthenticationOptions({ rpID: rpId, timeout: CEREMONY_TIMEOUT_MS, userVerification: 'required' });
    const challengeId = await issueChallenge(ctx, {
      purpose: 'passkey',
      challenge: options.challenge,
      userId: null,
      sessionHash: session.idHash,
    });
    return { challengeId, options: options as unknown as Record<string, unknown> };
  });

  route(app, api.finishPasskeySignIn, async ({ session, body, req, reply }) => {
    if (!session) throw new ApiError(403, 'csrf_failed');
    const policy = await getPolicy(ctx);
    requireWebAuthnAllowed(policy.enabledMethods.webauthn);
    const ipKey = `passkey:ip:${req.ip}`;
    const ipState = await peekRate(ctx, ipKey, passkeyFailuresPerIp);
    if (!ipState.allowed) throw tooManyAttempts(ipState.retryAfterSeconds);
    const { challenge } = await consumeChallenge(ctx, { id: body.challengeId, purpose: 'passkey', sessionHash: session.idHash });
    let row: CredentialRow;
    try {
      row = await verifyAssertion(ctx, {
        challenge,
        response: { ...body.response, clientExtensionResults: body.response.clientExtensionResults ?? {} } as AuthenticationResponseJSON,
        clientIp: req.ip,
        event: 'sign_in.passkey',
      });
    } catch (error) {
      await consumeRate(ctx, ipKey, passkeyFailuresPerIp);
      throw error;
    }
    const user = await getUser(ctx, row.user_id);
    // A passkey with user verification is possession plus something the user knows or is (NIST SP 800-63B §5.1.8/§5.1.9).
    const reason = await registrationReason(ctx, user, policy);
    const next = await advanceSession(ctx, session, {
      userId: user.id,
      stage: reason ? 'registration' : 'signed_in',
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
    return buildSessionInfo(ctx, next.session);
  });
}

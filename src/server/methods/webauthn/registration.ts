import type { AuthenticatorSelectionCriteria, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { ApiError } from '../../core/api-error.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import type { ServerContext } from '../../core/context.ts';
import { addMethod, requireRoomFor, type ChangeRequest } from '../../core/security-info/service.ts';
import { userHandleOf } from './assertion.ts';
import { authenticatorNameFromAaguid } from './authenticator-names.ts';
import { CEREMONY_TIMEOUT_MS, issueChallenge } from './challenges.ts';
import { credentialById, credentialsOfUser, insertCredential, toWebAuthnCredential } from './credentials.ts';
import { base64url, simpleWebAuthn } from './library.ts';

/** The client sends no extension results when there are none; the verifier wants the object. */
export const withExtensions = <R extends { clientExtensionResults?: object | undefined }>(response: R) => ({
  ...response,
  clientExtensionResults: response.clientExtensionResults ?? {},
});

/**
 * The options for a new credential (WebAuthn L3 §5.4) and the challenge they carry, kept for the
 * answer. A registration from Security info and a passkey upgrade differ only in what they ask of
 * the authenticator.
 */
export async function startCredentialRegistration(
  ctx: ServerContext,
  request: ChangeRequest,
  input: { purpose: 'register' | 'upgrade'; authenticatorSelection: AuthenticatorSelectionCriteria },
) {
  const { actor } = request;
  await requireRoomFor(ctx, request, 'webauthn');
  const existing = await credentialsOfUser(ctx, actor.user.id);
  const { generateRegistrationOptions } = await simpleWebAuthn();
  const options = await generateRegistrationOptions({
    rpName: ctx.config.webauthn.rpName,
    rpID: ctx.config.webauthn.rpId,
    userName: actor.user.username,
    userDisplayName: [actor.user.first_name, actor.user.last_name].filter(Boolean).join(' ') || actor.user.username,
    userID: userHandleOf(actor.user.id),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    // The same authenticator cannot be registered twice (WebAuthn L3 §5.4 excludeCredentials).
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: toWebAuthnCredential(c).transports })),
    authenticatorSelection: input.authenticatorSelection,
  });
  const challengeId = await issueChallenge(ctx, {
    purpose: input.purpose,
    challenge: options.challenge,
    userId: actor.user.id,
    sessionHash: actor.session.idHash,
  });
  return { challengeId, options };
}

/**
 * Verifies a new credential (WebAuthn L3 §7.1) and saves it as a method. Every
 * refusal is logged with the credential ID as the device token.
 */
export async function registerCredential(
  ctx: ServerContext,
  request: ChangeRequest,
  input: {
    challenge: string;
    response: RegistrationResponseJSON;
    fallbackLabel: string;
    /**
     * Created with conditional mediation (a passkey upgrade): the password manager may create it
     * without user presence or verification (WebAuthn L3 §5.1.3), so the caller has bound the
     * ceremony to a sign-in that just proved the user (docs/reference.md#stronger-methods-first).
     */
    conditional?: boolean;
  },
): Promise<MethodSummary> {
  const { actor } = request;
  const refuse = async (reason: string, deviceToken: string) =>
    writeVerificationLog(ctx, {
      user: actor.user,
      event: 'security_info.method_added',
      authMode: 'webauthn',
      result: 'denied',
      denialReason: reason,
      deviceToken,
      clientIp: request.clientIp,
    });

  let info;
  try {
    const { verifyRegistrationResponse } = await simpleWebAuthn();
    const result = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: input.challenge,
      expectedOrigin: ctx.config.webauthn.origins,
      expectedRPID: ctx.config.webauthn.rpId,
      requireUserVerification: !input.conditional,
      requireUserPresence: !input.conditional,
    });
    if (!result.verified) throw new Error('not verified');
    info = result.registrationInfo;
  } catch {
    await refuse('verification_failed', input.response.id);
    throw new ApiError(400, 'webauthn_failed');
  }
  const { credential } = info;
  const alreadyRegistered = async () => {
    await refuse('already_registered', credential.id);
    return new ApiError(409, 'webauthn_already_registered');
  };
  // WebAuthn L3 §7.1 step 26: refuse a credential ID registered before (to anyone);
  // excludeCredentials stops honest browsers earlier, this stops the rest.
  if (await credentialById(ctx, credential.id)) throw await alreadyRegistered();

  // The model's name where the AAGUID is known; it is only a claim with "none" attestation, so it names, never trusts.
  const label = authenticatorNameFromAaguid(info.aaguid) ?? input.fallbackLabel;
  try {
    return await addMethod(ctx, request, {
      kind: 'webauthn',
      label,
      insertDetails: (db, methodId) =>
        insertCredential(db, {
          method_id: methodId,
          user_id: actor.user.id,
          credential_id: credential.id,
          public_key: base64url.fromBytes(credential.publicKey),
          counter: credential.counter,
          transports: JSON.stringify(credential.transports ?? input.response.response.transports ?? []),
          aaguid: info.aaguid,
          backed_up: info.credentialBackedUp ? 1 : 0,
        }),
      log: { deviceToken: credential.id },
    });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // Two racing registrations of one credential: the unique index lets one through.
    if (await credentialById(ctx, credential.id)) throw await alreadyRegistered();
    throw error;
  }
}

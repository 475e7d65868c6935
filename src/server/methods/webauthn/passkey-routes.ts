import { generateRegistrationOptions } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import type { FastifyInstance } from 'fastify';
import { passkeys as api } from '../../../shared/api/index.ts';
import { ApiError } from '../../core/api-error.ts';
import { passkeyUpgradeOpen } from '../../core/auth/passkey-upgrade.ts';
import { route } from '../../core/http/route.ts';
import { requireKindAllowed, requireRoomFor } from '../../core/security-info/service.ts';
import { userHandleOf } from './assertion.ts';
import { CEREMONY_TIMEOUT_MS, consumeChallenge, issueChallenge } from './challenges.ts';
import { credentialsOfUser, toWebAuthnCredential } from './credentials.ts';
import { registerCredential } from './registration.ts';

/** The client sends no extension results when there are none; the verifier wants the object. */
const withExtensions = <R extends { clientExtensionResults?: object | undefined }>(response: R) => ({
  ...response,
  clientExtensionResults: response.clientExtensionResults ?? {},
});

/**
 * Keeping password managers in step (the Signal API's inputs) and the passkey upgrade right
 * after a sign-in with a password (docs/reference.md#stronger-methods-first).
 */
export function passkeyRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  const { rpId, rpName } = ctx.config.webauthn;

  // Every registered credential counts as accepted, also while the policy turns passkeys off:
  // a password manager told otherwise would delete them (WebAuthn L3 §5.1.10.3).
  route(app, api.getAcceptedCredentials, async ({ actor }) => ({
    rpId,
    userId: isoBase64URL.fromBuffer(userHandleOf(actor.user.id)),
    credentials: (await credentialsOfUser(ctx, actor.user.id)).map((c) => ({ methodId: c.method_id, credentialId: c.credential_id })),
  }));

  route(app, api.startPasskeyUpgrade, async ({ actor, policy, session, req }) => {
    // Bound to the sign-in this session just completed with a password and a second step, under a policy that allows it.
    if (!session || !passkeyUpgradeOpen(session, policy, ctx.clock.now())) throw new ApiError(409, 'passkey_upgrade_unavailable');
    await requireRoomFor(ctx, { actor, policy, clientIp: req.ip }, 'webauthn');
    const existing = await credentialsOfUser(ctx, actor.user.id);
    const options = await generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: actor.user.username,
      userDisplayName: [actor.user.first_name, actor.user.last_name].filter(Boolean).join(' ') || actor.user.username,
      userID: userHandleOf(actor.user.id),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: toWebAuthnCredential(c).transports })),
      // A passkey for the password manager; conditional creation verifies no user (WebAuthn L3 §5.1.3), so it is not required.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    });
    const challengeId = await issueChallenge(ctx, {
      purpose: 'upgrade',
      challenge: options.challenge,
      userId: actor.user.id,
      sessionHash: actor.session.idHash,
    });
    return { challengeId, options };
  });

  route(app, api.finishPasskeyUpgrade, async ({ actor, policy, session, body, req }) => {
    requireKindAllowed(ctx, policy, 'webauthn');
    if (!session || !passkeyUpgradeOpen(session, policy, ctx.clock.now())) throw new ApiError(409, 'passkey_upgrade_unavailable');
    const { challenge, userId } = await consumeChallenge(ctx, {
      id: body.challengeId,
      purpose: 'upgrade',
      sessionHash: actor.session.idHash,
    });
    if (userId !== actor.user.id) throw new ApiError(410, 'webauthn_expired');
    const method = await registerCredential(
      ctx,
      { actor, policy, clientIp: req.ip },
      { challenge, response: withExtensions(body.response), fallbackLabel: body.fallbackLabel, conditional: true },
    );
    return { method };
  });
}

import type { FastifyInstance } from 'fastify';
import { passkeys as api } from '../../../shared/api/index.ts';
import { ApiError } from '../../core/api-error.ts';
import { passkeyUpgradeOpen } from '../../core/auth/passkey-upgrade.ts';
import { route } from '../../core/http/route.ts';
import { requireKindAllowed } from '../../core/security-info/service.ts';
import { userHandleOf } from './assertion.ts';
import { consumeChallenge } from './challenges.ts';
import { credentialsOfUser } from './credentials.ts';
import { base64url } from './library.ts';
import { registerCredential, startCredentialRegistration, withExtensions } from './registration.ts';

/**
 * Keeping password managers in step (the Signal API's inputs) and the passkey upgrade right
 * after a sign-in with a password (docs/reference.md#stronger-methods-first).
 */
export function passkeyRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  const { rpId } = ctx.config.webauthn;

  // Every registered credential counts as accepted, also while the policy turns passkeys off:
  // a password manager told otherwise would delete them (WebAuthn L3 §5.1.10.3).
  route(app, api.getAcceptedCredentials, async ({ actor }) => ({
    rpId,
    userId: base64url.fromBytes(userHandleOf(actor.user.id)),
    credentials: (await credentialsOfUser(ctx, actor.user.id)).map((c) => ({ methodId: c.method_id, credentialId: c.credential_id })),
  }));

  route(app, api.startPasskeyUpgrade, async ({ actor, policy, session, req }) => {
    // Bound to the sign-in this session just completed with a password and a second step, under a policy that allows it.
    if (!session || !passkeyUpgradeOpen(session, policy, ctx.clock.now())) throw new ApiError(409, 'passkey_upgrade_unavailable');
    // A passkey for the password manager; conditional creation verifies no user (WebAuthn L3 §5.1.3), so it is not required.
    return startCredentialRegistration(
      ctx,
      { actor, policy, clientIp: req.ip },
      { purpose: 'upgrade', authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } },
    );
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

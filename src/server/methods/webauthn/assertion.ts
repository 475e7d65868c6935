import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { ApiError } from '../../core/api-error.ts';
import { writeVerificationLog, type LogSubject } from '../../core/audit/verification-log.ts';
import type { ServerContext } from '../../core/context.ts';
import { markMethodUsed } from '../../core/security-info/method-store.ts';
import type { UserRow } from '../../core/users/users.ts';
import { advanceCounter, credentialById, toWebAuthnCredential, type CredentialRow } from './credentials.ts';
import { base64url, simpleWebAuthn } from './library.ts';

/** The WebAuthn user handle: random, opaque, no personal data (WebAuthn L3 §14.6.1). */
export const userHandleOf = (userId: string) => new TextEncoder().encode(userId);

/**
 * Verifies an assertion (WebAuthn L3 §7.2) against the stored credential and
 * moves its signature counter forward. Every refusal is written to the
 * verification log with the credential ID as the device token
 * (docs/reference.md#verification-log).
 *
 * `actor` is the user the session already knows (second step, re-verification):
 * the credential must be theirs. Without one (passwordless), the user comes
 * from the credential, and the response's user handle must name that same
 * user (§7.2 step 6).
 */
export async function verifyAssertion(
  ctx: ServerContext,
  input: { challenge: string; response: AuthenticationResponseJSON; actor?: UserRow; clientIp: string; event: string },
): Promise<CredentialRow> {
  const row = await credentialById(ctx, input.response.id);
  // A second step is logged under the user signing in, whoever owns the key they presented. Passwordless,
  // the owner is looked up even for an unknown credential (finding nobody), so an unknown credential and a
  // known one whose user handle does not match cost the same queries. The user handle itself is only ever
  // compared with the credential's owner, never looked up, so it cannot be used to probe for accounts.
  const owner =
    input.actor ??
    (await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', row?.user_id ?? '')
      .executeTakeFirst());
  const subject: LogSubject = owner ?? { id: null, username: '(unknown passkey)' };
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
    if (!handle || handle !== base64url.fromBytes(userHandleOf(row.user_id))) throw await deny('user_handle_mismatch', 'webauthn_failed');
  }
  let newCounter: number;
  try {
    const { verifyAuthenticationResponse } = await simpleWebAuthn();
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
  if (newCounter > 0 && !(await advanceCounter(ctx, row.method_id, newCounter))) {
    warnCounterRegression(ctx, row);
    throw await deny('counter_regression', 'webauthn_failed');
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

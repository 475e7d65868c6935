import type { OrgPolicy } from '../../../shared/policy.ts';
import type { SessionRecord } from '../sessions/session-store.ts';

/** How long after a sign-in with a password and a second step the password manager may be asked for a passkey. */
export const PASSKEY_UPGRADE_WINDOW_MS = 5 * 60_000;

/**
 * Whether this session may still ask for a passkey upgrade (docs/reference.md#stronger-methods-first):
 * the policy allows it and passkeys, and the session completed a sign-in with a password and a
 * second step within the window.
 */
export function passkeyUpgradeOpen(session: SessionRecord, policy: OrgPolicy, now: number): boolean {
  return (
    policy.strongerMethods.passkeyUpgrade &&
    policy.enabledMethods.webauthn &&
    session.stage === 'signed_in' &&
    session.passwordSignInAt !== null &&
    now - session.passwordSignInAt <= PASSKEY_UPGRADE_WINDOW_MS
  );
}

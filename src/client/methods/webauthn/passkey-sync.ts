import i18next from 'i18next';
import * as api from '../../../shared/api/passkeys.ts';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { call } from '../../api/client.ts';
import type { SignedInState } from '../../components/methods/method-kind-entry.ts';
import { browserHasWebAuthn } from './webauthn-browser.ts';

/*
 * Keeping password managers in step with the server, and the passkey upgrade
 * (docs/reference.md#stronger-methods-first). Each is tried only where the browser has the API
 * (WebAuthn L3 §5.1.10 Signal API, §5.1.7 getClientCapabilities); where it lacks it, nothing is
 * fetched and nothing breaks. Failures are swallowed: none of this may stand in a sign-in's way.
 */

/** The static methods of PublicKeyCredential this file uses; older browsers lack some, though lib.dom declares them. */
interface PasskeyStatics {
  signalUnknownCredential?(options: { rpId: string; credentialId: string }): Promise<void>;
  signalAllAcceptedCredentials?(options: { rpId: string; userId: string; allAcceptedCredentialIds: string[] }): Promise<void>;
  getClientCapabilities?(): Promise<Record<string, boolean | undefined>>;
}

function statics(): PasskeyStatics | null {
  // lib.dom declares these as always there; older browsers lack them, so they are optional here.
  return browserHasWebAuthn() ? (window.PublicKeyCredential as unknown as PasskeyStatics) : null;
}

/** Before a passkey is deleted: its credential ID, so its provider can be told to forget it once the delete succeeded. */
export async function beforePasskeyDelete(method: MethodSummary): Promise<(() => void) | undefined> {
  const pkc = statics();
  if (typeof pkc?.signalUnknownCredential !== 'function') return undefined;
  const accepted = await call(api.getAcceptedCredentials);
  const credentialId = accepted.credentials.find((c) => c.methodId === method.id)?.credentialId;
  if (!credentialId) return undefined;
  return () => void pkc.signalUnknownCredential?.({ rpId: accepted.rpId, credentialId }).catch(() => undefined);
}

/** How long the password manager gets to answer a conditional create before the page goes on without it. */
const UPGRADE_PATIENCE_MS = 10_000;

/** Asks the password manager for a passkey without a prompt (mediation "conditional"); the added method, or null. */
async function upgradeToPasskey(): Promise<MethodSummary | null> {
  const pkc = statics();
  const capabilities =
    typeof pkc?.getClientCapabilities === 'function' ? await pkc.getClientCapabilities().catch(() => undefined) : undefined;
  if (capabilities?.conditionalCreate !== true) return null;
  const { challengeId, options } = await call(api.startPasskeyUpgrade, { body: {} });
  const { startRegistration, WebAuthnAbortService } = await import('@simplewebauthn/browser');
  const patience = setTimeout(() => WebAuthnAbortService.cancelCeremony(), UPGRADE_PATIENCE_MS);
  try {
    // useAutoRegister: create() with mediation "conditional", as WebAuthn L3 §5.1.3 defines it.
    const response = await startRegistration({ optionsJSON: options, useAutoRegister: true });
    const fallbackLabel = i18next.t('webauthn:upgrade.fallbackName');
    return (await call(api.finishPasskeyUpgrade, { body: { challengeId, fallbackLabel, response } })).method;
  } finally {
    clearTimeout(patience);
  }
}

/** Tells the password manager which of this user's passkeys the server still accepts, so it hides the others. */
async function signalAccepted(): Promise<void> {
  const pkc = statics();
  if (typeof pkc?.signalAllAcceptedCredentials !== 'function') return;
  const accepted = await call(api.getAcceptedCredentials);
  await pkc.signalAllAcceptedCredentials({
    rpId: accepted.rpId,
    userId: accepted.userId,
    allAcceptedCredentialIds: accepted.credentials.map((c) => c.credentialId),
  });
}

/** Right after a sign-in: the passkey upgrade where the session allows it, then the accepted credentials. */
export async function afterPasskeySignIn(state: SignedInState): Promise<string | null> {
  const added = state.passkeyUpgrade ? await upgradeToPasskey().catch(() => null) : null;
  await signalAccepted().catch(() => undefined);
  return added ? i18next.t('webauthn:upgrade.saved', { label: added.label }) : null;
}

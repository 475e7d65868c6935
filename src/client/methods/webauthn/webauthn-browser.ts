import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';

/**
 * What went wrong in the browser's part of a ceremony, in terms a person can
 * act on. Each maps from the DOMException the WebAuthn API raises
 * (WebAuthn L3 §5.1.3 create() and §5.1.4 get() name them).
 */
export type WebAuthnProblem = 'unsupported' | 'cancelled' | 'already_registered' | 'security' | 'failed';

export class WebAuthnClientError extends Error {
  constructor(readonly problem: WebAuthnProblem) {
    super(problem);
    this.name = 'WebAuthnClientError';
  }
}

// @simplewebauthn/browser is loaded on the pages that run a ceremony, not with the app.
const library = () => import('@simplewebauthn/browser');

export function browserHasWebAuthn(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';
}

function problemOf(error: unknown): WebAuthnProblem {
  const name = error instanceof Error ? ((error.cause as Error | undefined)?.name ?? error.name) : '';
  const code = (error as { code?: string } | null)?.code;
  // §5.1.3 step 20 (excludeCredentials matched): InvalidStateError.
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') return 'already_registered';
  // The user dismissed the prompt, it timed out, or no credential was chosen: NotAllowedError (§5.1.3 step 22, §5.1.4 step 20).
  if (name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_CEREMONY_ABORTED') return 'cancelled';
  // The page's origin does not match the RP ID: SecurityError (§5.1.3 step 7).
  if (name === 'SecurityError' || code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID') return 'security';
  if (name === 'NotSupportedError') return 'unsupported';
  return 'failed';
}

export async function createCredential(options: Record<string, unknown>): Promise<RegistrationResponseJSON> {
  if (!browserHasWebAuthn()) throw new WebAuthnClientError('unsupported');
  const { startRegistration } = await library();
  try {
    return await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  } catch (error) {
    throw new WebAuthnClientError(problemOf(error));
  }
}

export async function getAssertion(options: Record<string, unknown>, conditional = false): Promise<AuthenticationResponseJSON> {
  if (!browserHasWebAuthn()) throw new WebAuthnClientError('unsupported');
  const { startAuthentication } = await library();
  try {
    return await startAuthentication({
      optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
      useBrowserAutofill: conditional,
    });
  } catch (error) {
    throw new WebAuthnClientError(problemOf(error));
  }
}

/** Conditional UI (passkeys offered in the user-name field's autofill), where the browser has it. */
export async function conditionalMediationAvailable(): Promise<boolean> {
  if (!browserHasWebAuthn()) return false;
  const check = (window.PublicKeyCredential as unknown as { isConditionalMediationAvailable?: () => Promise<boolean> })
    .isConditionalMediationAvailable;
  return check ? check.call(window.PublicKeyCredential).catch(() => false) : false;
}

export async function cancelCeremony(): Promise<void> {
  const { WebAuthnAbortService } = await library();
  WebAuthnAbortService.cancelCeremony();
}

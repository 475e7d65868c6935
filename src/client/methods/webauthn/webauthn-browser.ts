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
export type WebAuthnProblem = 'unsupported' | 'cancelled' | 'timed_out' | 'already_registered' | 'security' | 'failed';

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

/**
 * How long the ceremony ran against the timeout the server asked for. The
 * spec reports a timeout and a dismissed prompt alike, as NotAllowedError, so
 * that a page cannot tell whether credentials exist (§5.1.4.3, §14.5.2); only
 * the clock tells them apart, well enough to say which happened.
 */
export interface CeremonyTiming {
  elapsedMs: number;
  timeoutMs: number | undefined;
}

/** A ceremony that ran to within a second of its timeout is taken to have timed out. */
const TIMEOUT_SLACK_MS = 1000;

export function problemOf(error: unknown, timing?: CeremonyTiming): WebAuthnProblem {
  // @simplewebauthn/browser wraps the DOMException in a WebAuthnError named like it, with the original as its cause.
  const name = error instanceof Error ? (error.cause instanceof Error ? error.cause.name : error.name) : '';
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  // §5.1.3 step 20.3: an authenticator holding a credential from excludeCredentials answers InvalidStateError.
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') return 'already_registered';
  // Dismissed, timed out or no credential chosen: NotAllowedError (§5.1.3 steps 21-22, §5.1.4.3 steps 19-20).
  // AbortError: the page itself cancelled the request (§5.6), e.g. leaving the page.
  if (name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_CEREMONY_ABORTED') {
    const timedOut =
      name === 'NotAllowedError' && timing?.timeoutMs !== undefined && timing.elapsedMs >= timing.timeoutMs - TIMEOUT_SLACK_MS;
    return timedOut ? 'timed_out' : 'cancelled';
  }
  // The page's origin is not the RP ID or a subdomain of it, or is not secure: SecurityError (§5.1.3 steps 6-7).
  if (name === 'SecurityError' || code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID') return 'security';
  // No authenticator supports the requested algorithms or options (§5.1.3 step 10).
  if (name === 'NotSupportedError') return 'unsupported';
  return 'failed';
}

async function ceremony<T>(timeoutMs: number | undefined, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await run();
  } catch (error) {
    throw new WebAuthnClientError(problemOf(error, { elapsedMs: performance.now() - started, timeoutMs }));
  }
}

export async function createCredential(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
  if (!browserHasWebAuthn()) throw new WebAuthnClientError('unsupported');
  const { startRegistration } = await library();
  return ceremony(options.timeout, () => startRegistration({ optionsJSON: options }));
}

export async function getAssertion(
  options: PublicKeyCredentialRequestOptionsJSON,
  conditional = false,
): Promise<AuthenticationResponseJSON> {
  if (!browserHasWebAuthn()) throw new WebAuthnClientError('unsupported');
  const { startAuthentication } = await library();
  return ceremony(options.timeout, () => startAuthentication({ optionsJSON: options, useBrowserAutofill: conditional }));
}

/** Conditional UI (passkeys offered in the user-name field's autofill), where the browser has it. */
export async function conditionalMediationAvailable(): Promise<boolean> {
  if (!browserHasWebAuthn()) return false;
  // Older browsers lack the method although lib.dom declares it.
  if (!('isConditionalMediationAvailable' in window.PublicKeyCredential)) return false;
  return window.PublicKeyCredential.isConditionalMediationAvailable().catch(() => false);
}

export async function cancelCeremony(): Promise<void> {
  const { WebAuthnAbortService } = await library();
  WebAuthnAbortService.cancelCeremony();
}

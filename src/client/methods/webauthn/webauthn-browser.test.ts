import { describe, expect, it } from 'vitest';
import { problemOf } from './webauthn-browser.ts';

const domException = (name: string) => Object.assign(new Error(name), { name });
/** What @simplewebauthn/browser v13 throws: a WebAuthnError named like the DOMException, with a code and the original as cause. */
const wrapped = (name: string, code: string) => Object.assign(new Error(code, { cause: domException(name) }), { name, code });

describe('problemOf maps WebAuthn DOMExceptions to what the user is told', () => {
  it('InvalidStateError: the authenticator already holds an excluded credential (§5.1.3)', () => {
    expect(problemOf(domException('InvalidStateError'))).toBe('already_registered');
    expect(problemOf(wrapped('InvalidStateError', 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED'))).toBe('already_registered');
  });

  it('NotAllowedError: cancelled, or timed out when it ran until the timeout', () => {
    expect(problemOf(domException('NotAllowedError'))).toBe('cancelled');
    expect(problemOf(domException('NotAllowedError'), { elapsedMs: 4_000, timeoutMs: 300_000 })).toBe('cancelled');
    expect(problemOf(wrapped('NotAllowedError', 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY'), { elapsedMs: 299_500, timeoutMs: 300_000 })).toBe(
      'timed_out',
    );
    expect(problemOf(domException('NotAllowedError'), { elapsedMs: 400_000, timeoutMs: undefined })).toBe('cancelled');
  });

  it('AbortError: the page cancelled the request, never a timeout', () => {
    expect(problemOf(domException('AbortError'), { elapsedMs: 300_000, timeoutMs: 300_000 })).toBe('cancelled');
    expect(problemOf(wrapped('AbortError', 'ERROR_CEREMONY_ABORTED'))).toBe('cancelled');
  });

  it('SecurityError: origin and RP ID do not match', () => {
    expect(problemOf(domException('SecurityError'))).toBe('security');
    expect(problemOf(wrapped('SecurityError', 'ERROR_INVALID_RP_ID'))).toBe('security');
  });

  it('NotSupportedError is unsupported; anything else failed', () => {
    expect(problemOf(domException('NotSupportedError'))).toBe('unsupported');
    expect(problemOf(domException('UnknownError'))).toBe('failed');
    expect(problemOf('a string')).toBe('failed');
    expect(problemOf(null)).toBe('failed');
  });
});

import type { SignInOption } from '../../shared/api/common.ts';
import type { SessionInfo } from '../../shared/api/session.ts';
import { AuthenticatorCodeForm } from './authenticator/AuthenticatorCodeForm.tsx';
import { WebAuthnVerifyForm } from './webauthn/WebAuthnVerifyForm.tsx';
import { PhoneVerifyForm } from './phone/PhoneVerifyForm.tsx';

/** The form that proves the user with one method; each method feature brings its own. */
export function VerifyWithMethod({ option, onVerified }: { option: SignInOption; onVerified(next: SessionInfo): void }) {
  switch (option.kind) {
    case 'authenticator':
      return <AuthenticatorCodeForm key={option.methodId} option={option} onVerified={onVerified} />;
    case 'phone':
      return <PhoneVerifyForm key={option.methodId} option={option} onVerified={onVerified} />;
    case 'webauthn':
      return <WebAuthnVerifyForm key={option.methodId} onVerified={onVerified} />;
    default:
      return null;
  }
}

/** Kinds this client can verify with at sign-in. */
export const verifiableKinds: ReadonlySet<SignInOption['kind']> = new Set(['authenticator', 'webauthn', 'phone']);

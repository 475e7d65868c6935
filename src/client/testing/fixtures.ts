import type { SignInOption } from '../../shared/api/common.ts';
import type { SessionInfo } from '../../shared/api/session.ts';

export const authenticatorOption: SignInOption = {
  methodId: 'method-1',
  kind: 'authenticator',
  label: 'Work phone',
  detail: null,
  isDefault: true,
  turnedOff: false,
};

/** A signed-in user; by default their last verification has expired, so a change asks to verify again. */
export function signedInSession(options: SignInOption[] = [authenticatorOption], reauthValidUntil: string | null = null): SessionInfo {
  return {
    csrfToken: 'csrf-token',
    devTools: false,
    state: {
      stage: 'signed_in',
      user: { username: 'ada', displayName: 'Ada Lovelace', isAdmin: false },
      reauthValidUntil,
      options,
      passkeyUpgrade: false,
    },
  };
}

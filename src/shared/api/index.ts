import * as session from './session.ts';
import * as securityInfo from './security-info.ts';
import * as authenticator from './authenticator.ts';
import * as dev from './dev.ts';
import * as appPasswords from './app-passwords.ts';
import * as admin from './admin.ts';
import * as adminUsers from './admin-users.ts';
import * as webauthn from './webauthn.ts';
import * as phone from './phone.ts';
import * as temporaryAccessPass from './temporary-access-pass.ts';
import * as adminLog from './admin-log.ts';
import * as hardwareToken from './hardware-token.ts';
import * as recoveryCodes from './recovery-codes.ts';
import * as reportLink from './report-link.ts';
import * as passwordReset from './password-reset.ts';
import * as strongerMethods from './stronger-methods.ts';
import * as passkeys from './passkeys.ts';
import * as passwordChange from './password-change.ts';
import type { EndpointDef } from '../endpoint.ts';

export {
  session,
  securityInfo,
  authenticator,
  dev,
  appPasswords,
  admin,
  adminUsers,
  webauthn,
  phone,
  temporaryAccessPass,
  adminLog,
  hardwareToken,
  recoveryCodes,
  reportLink,
  passwordReset,
  strongerMethods,
  passkeys,
  passwordChange,
};
export * from './common.ts';

function endpointsOf(mod: Record<string, unknown>): EndpointDef[] {
  return Object.values(mod).filter(
    (v): v is EndpointDef => typeof v === 'object' && v !== null && 'method' in v && 'path' in v && 'response' in v,
  );
}

/** Every endpoint, for the OpenAPI document and the route-coverage tests. */
export const allEndpoints: readonly EndpointDef[] = [
  session,
  securityInfo,
  authenticator,
  dev,
  appPasswords,
  admin,
  adminUsers,
  webauthn,
  phone,
  temporaryAccessPass,
  adminLog,
  hardwareToken,
  recoveryCodes,
  reportLink,
  passwordReset,
  strongerMethods,
  passkeys,
  passwordChange,
].flatMap(endpointsOf);

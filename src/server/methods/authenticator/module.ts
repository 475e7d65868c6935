import type { MethodKindModule } from '../../core/security-info/method-kind.ts';
import { authenticatorRoutes } from './routes.ts';

/** Authenticator apps (TOTP, RFC 6238): up to the policy's number per user (5 in the reference product). */
export const authenticatorKind: MethodKindModule = {
  kind: 'authenticator',
  authMode: 'totp',
  limit: (policy) => policy.authenticatorMaxPerUser,
  // Apps and hardware tokens share the policy's limit (docs/reference.md#hardware-tokens).
  limitGroup: 'one_time_code_devices',
  // An app has nothing to show beside the name its owner gave it: no describe, no extra log facts.
  routes: authenticatorRoutes,
};

import type { MethodKindModule } from '../../core/security-info/method-kind.ts';
import { sweepExpiredChallenges } from './challenges.ts';
import { credentialIdOf } from './credentials.ts';
import { passkeyRoutes } from './passkey-routes.ts';
import { webauthnRoutes } from './routes.ts';

/** Security keys and passkeys (WebAuthn Level 3). */
export const webauthnKind: MethodKindModule = {
  kind: 'webauthn',
  authMode: 'webauthn',
  limit: () => 10,
  // Renames and deletes log the credential ID as the device token, like every other WebAuthn record.
  logFacts: async (ctx, methodId) => {
    const credentialId = await credentialIdOf(ctx, methodId);
    return credentialId ? { deviceToken: credentialId } : {};
  },
  sweepExpired: sweepExpiredChallenges,
  routes: (app) => {
    webauthnRoutes(app);
    passkeyRoutes(app);
  },
};

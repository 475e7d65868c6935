import type { MethodDetail, MethodKindModule } from '../../core/security-info/method-kind.ts';
import { hardwareTokenAdminRoutes } from './admin-routes.ts';
import { hardwareTokenRoutes } from './routes.ts';
import { tokensOfMethods } from './store.ts';

/**
 * Hardware OATH tokens (HOTP, RFC 4226; TOTP, RFC 6238) that an administrator imports and a
 * user activates (docs/reference.md#hardware-tokens). They share the policy's limit with
 * authenticator apps: 5 together in the reference product.
 */
export const hardwareTokenKind: MethodKindModule = {
  kind: 'hardware_token',
  authMode: 'hardware_token',
  limit: (policy) => policy.authenticatorMaxPerUser,
  limitGroup: 'one_time_code_devices',
  // The serial number printed on the token tells its owner which one it is; it is no secret.
  async describe(ctx, methods) {
    const tokens = await tokensOfMethods(
      ctx,
      methods.map((m) => m.id),
    );
    return new Map<string, MethodDetail>(tokens.map((t) => [t.method_id!, { detail: t.serial }]));
  },
  async logFacts(ctx, methodId) {
    const [token] = await tokensOfMethods(ctx, [methodId]);
    return { deviceToken: token?.serial ?? null };
  },
  routes: hardwareTokenRoutes,
  adminRoutes: hardwareTokenAdminRoutes,
};

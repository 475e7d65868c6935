import type { FastifyInstance } from 'fastify';
import { recoveryCodes as api } from '../../../shared/api/index.ts';
import { completeSecondFactor } from '../auth/second-factor.ts';
import { route } from '../http/route.ts';
import { generateRecoveryCodes, recoveryCodeStatus, verifyAndConsumeRecoveryCode } from '../recovery-codes/service.ts';

/** The user reads how many codes are left and generates a new set; a code proves them at the second step or to verify again. */
export function recoveryCodeRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getRecoveryCodes, async ({ actor, policy }) => recoveryCodeStatus(ctx, policy, actor.user.id));

  route(app, api.generateRecoveryCodes, async ({ actor, policy, req }) => generateRecoveryCodes(ctx, policy, actor.user, req.ip));

  route(app, api.verifyRecoveryCode, async ({ actor, policy, body, req, reply }) => {
    const event = actor.session.stage === 'second_factor' ? 'sign_in.second_factor' : 'reauthentication';
    await verifyAndConsumeRecoveryCode(ctx, policy, actor.user, { code: body.code, event, clientIp: req.ip });
    // No method proved the user: nothing is marked used, and a user with no usable method goes on to register one.
    return completeSecondFactor(ctx, reply, actor, policy, null);
  });
}

import type { FastifyInstance } from 'fastify';
import { recoveryCodes as api } from '../../../shared/api/index.ts';
import { completeSecondFactor, verificationEvent } from '../auth/second-factor.ts';
import { RECOVERY_CODE_PROOF, resetFlowTaking } from '../auth/password-reset/proofs.ts';
import { route } from '../http/route.ts';
import { generateRecoveryCodes, recoveryCodeStatus, verifyAndConsumeRecoveryCode } from '../recovery-codes/service.ts';

/** The user reads how many codes are left and generates a new set; a code proves them at the second step or to verify again. */
export function recoveryCodeRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getRecoveryCodes, async ({ actor, policy }) => recoveryCodeStatus(ctx, policy, actor.user.id));

  route(app, api.generateRecoveryCodes, async ({ actor, policy, req }) => generateRecoveryCodes(ctx, policy, actor.user, req.ip));

  route(app, api.verifyRecoveryCode, async ({ actor, policy, body, req, reply }) => {
    const stage = actor.session.stage;
    // In a password reset the code counts as one proof; whether the reset can take it is checked before the code is spent.
    const resetting = stage === 'password_reset';
    if (resetting) await resetFlowTaking(ctx, req, actor, RECOVERY_CODE_PROOF);
    await verifyAndConsumeRecoveryCode(ctx, policy, actor.user, { code: body.code, event: verificationEvent(stage), clientIp: req.ip });
    // No method proved the user: nothing is marked used, and a user with no usable method goes on to register one.
    return completeSecondFactor(ctx, reply, actor, policy, resetting ? RECOVERY_CODE_PROOF : null);
  });
}

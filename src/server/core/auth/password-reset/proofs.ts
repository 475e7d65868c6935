import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../api-error.ts';
import type { ServerContext } from '../../context.ts';
import { listMethods } from '../../security-info/method-store.ts';
import type { Actor } from '../guards.ts';
import { addProof, loadFlow, type ResetFlow, type ResetProof } from './flow-store.ts';

/**
 * A method proved the user inside a password reset: each kind's own verify endpoint ran (in the
 * `password_reset` session stage) and, instead of signing anyone in, the proof is added to the
 * reset this browser started. Any kind that proves a user through `completeSecondFactor` counts,
 * so a new kind needs nothing here. Proofs that are no method (a temporary access pass) never count,
 * and with two required, the second must be another method (docs/reference.md#self-service-password-reset).
 */
export async function recordResetProof(ctx: ServerContext, req: FastifyRequest, actor: Actor, methodId: string | null): Promise<void> {
  const flow = await resetFlowTaking(ctx, req, actor, methodId);
  if (methodId === null) throw new ApiError(400, 'password_reset_step');
  let kind: ResetProof['kind'] = 'recovery_code';
  if (methodId !== RECOVERY_CODE_PROOF) {
    const method = (await listMethods(ctx, actor.user.id)).find((m) => m.id === methodId);
    if (!method) throw new ApiError(410, 'password_reset_expired');
    kind = method.kind;
  }
  if (!(await addProof(ctx, flow, { methodId, kind }))) throw new ApiError(409, 'password_reset_step');
}

/**
 * The id a recovery code's proof carries: one recovery code counts as one proof, like one method,
 * and a second code cannot stand for a second method (docs/reference.md#self-service-password-reset).
 */
export const RECOVERY_CODE_PROOF = 'recovery-code';

/**
 * Refuses, before anything is used up, a proof the reset cannot take: no reset of this user in this
 * browser, all proofs already given, or the same method (or a second recovery code) twice. A
 * recovery code checks this first, since checking the code spends it.
 */
export async function resetFlowTaking(ctx: ServerContext, req: FastifyRequest, actor: Actor, methodId: string | null): Promise<ResetFlow> {
  const flow = await loadFlow(ctx, req, actor.session);
  if (!flow || flow.userId !== actor.user.id) throw new ApiError(410, 'password_reset_expired');
  if (methodId === null) throw new ApiError(400, 'password_reset_step');
  if (flow.proofs.length >= flow.methodsRequired) throw new ApiError(409, 'password_reset_step');
  if (flow.proofs.some((p) => p.methodId === methodId)) throw new ApiError(409, 'password_reset_same_method');
  return flow;
}

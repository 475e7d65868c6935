import type { FastifyInstance } from 'fastify';
import { hardwareToken as api } from '../../../shared/api/index.ts';
import { ApiError, notFound } from '../../core/api-error.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import { completeSecondFactor, verificationEvent } from '../../core/auth/second-factor.ts';
import { newId } from '../../core/crypto/random.ts';
import { route } from '../../core/http/route.ts';
import { listMethods } from '../../core/security-info/method-store.ts';
import { addMethod, requireKindAllowed, requireRoomFor } from '../../core/security-info/service.ts';
import { normalizeSerial } from './import/parsed-token.ts';
import { findTokenBySerial, saveTokenState, tokensOfMethods } from './store.ts';
import { clearCodeFailures, matchCodeOfTokens, refuseLostRace } from './verify-code.ts';

export function hardwareTokenRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  /**
   * Activation: the serial printed on the token and the code it shows. An unknown serial, a
   * token assigned to someone else (or not yet to anyone) and a wrong code all answer
   * `invalid_code`, after the same work, so serials cannot be found by trying.
   */
  route(app, api.activateHardwareToken, async ({ actor, policy, body, req }) => {
    const request = { actor, policy, clientIp: req.ip };
    await requireRoomFor(ctx, request, 'hardware_token');
    const found = await findTokenBySerial(ctx, normalizeSerial(body.serial));
    const token = found && found.assigned_user_id === actor.user.id && found.method_id === null ? found : undefined;
    const match = await matchCodeOfTokens(ctx, actor.user.id, token ? [token] : [], body, { neutral: true });
    const methodId = newId();
    const now = ctx.clock.now();
    // Another request activated the token (or used this code) since it was read: the transaction rolls back.
    let lostRace = false;
    const add = addMethod(ctx, request, {
      kind: 'hardware_token',
      label: body.label,
      methodId,
      insertDetails: async (db) => {
        if (await saveTokenState(db, match.token, match.state, now, { userId: actor.user.id, methodId })) return;
        lostRace = true;
        throw new ApiError(400, 'invalid_code');
      },
      log: { deviceToken: match.token.serial },
    });
    let method: Awaited<typeof add>;
    try {
      method = await add;
    } catch (error) {
      if (lostRace) await refuseLostRace(ctx, actor.user.id, true);
      throw error;
    }
    await clearCodeFailures(ctx, actor.user.id);
    return { method, resynchronised: match.resynchronised };
  });

  route(app, api.verifyHardwareToken, async ({ actor, policy, body, req, reply }) => {
    requireKindAllowed(ctx, policy, 'hardware_token');
    const methods = (await listMethods(ctx, actor.user.id)).filter(
      (m) => m.kind === 'hardware_token' && (!body.methodId || m.id === body.methodId),
    );
    if (methods.length === 0) throw notFound();
    const event = verificationEvent(actor.session.stage);
    const log = { user: actor.user, event, authMode: 'hardware_token' as const, clientIp: req.ip };
    const tokens = await tokensOfMethods(
      ctx,
      methods.map((m) => m.id),
    );
    try {
      const match = await matchCodeOfTokens(ctx, actor.user.id, tokens, body);
      if (!(await saveTokenState(ctx.db, match.token, match.state, ctx.clock.now()))) await refuseLostRace(ctx, actor.user.id);
      await clearCodeFailures(ctx, actor.user.id);
      await writeVerificationLog(ctx, { ...log, result: 'success', deviceToken: match.token.serial });
      const session = await completeSecondFactor(ctx, reply, actor, policy, match.token.method_id);
      return { session, resynchronised: match.resynchronised };
    } catch (error) {
      if (error instanceof ApiError) {
        const serial = tokens.length === 1 ? tokens[0]!.serial : null;
        await writeVerificationLog(ctx, { ...log, result: 'denied', denialReason: error.code, deviceToken: serial });
      }
      throw error;
    }
  });
}

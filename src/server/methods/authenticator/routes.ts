import type { FastifyInstance } from 'fastify';
import { authenticator as api, session as sessionApi } from '../../../shared/api/index.ts';
import { ApiError, notFound } from '../../core/api-error.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import { completeSecondFactor, verificationEvent } from '../../core/auth/second-factor.ts';
import { newId } from '../../core/crypto/random.ts';
import { route } from '../../core/http/route.ts';
import { listMethods } from '../../core/security-info/method-store.ts';
import { addMethod, replaceMethod, requireKindAllowed, requireRoomFor } from '../../core/security-info/service.ts';
import { loadTotpSecrets } from './secrets.ts';
import { consumePendingSetup, findPendingSetup, insertTotpSecret, replaceTotpSecret, savePendingSetup } from './store.ts';
import { generateTotpSecret, totpUri } from './totp.ts';
import { verifyAndConsumeTotp } from './verify-code.ts';

/** An issued secret waits this long for its first code before it is discarded. */
const SETUP_LIFETIME_MS = 15 * 60 * 1000;

export function authenticatorRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, sessionApi.verifyTotp, async ({ actor, policy, body, req, reply }) => {
    requireKindAllowed(ctx, policy, 'authenticator');
    const apps = (await listMethods(ctx, actor.user.id)).filter(
      (m) => m.kind === 'authenticator' && (!body.methodId || m.id === body.methodId),
    );
    if (apps.length === 0) throw notFound();
    const event = verificationEvent(actor.session.stage);
    try {
      const candidates = await loadTotpSecrets(
        ctx,
        apps.map((m) => m.id),
      );
      const { methodId } = await verifyAndConsumeTotp(ctx, actor.user.id, body.code, candidates);
      await writeVerificationLog(ctx, {
        user: actor.user,
        event,
        authMode: 'totp',
        result: 'success',
        deviceToken: methodId,
        clientIp: req.ip,
      });
      return await completeSecondFactor(ctx, reply, actor, policy, methodId);
    } catch (error) {
      if (error instanceof ApiError) {
        await writeVerificationLog(ctx, {
          user: actor.user,
          event,
          authMode: 'totp',
          result: 'denied',
          denialReason: error.code,
          deviceToken: body.methodId ?? null,
          clientIp: req.ip,
        });
      }
      throw error;
    }
  });

  route(app, api.startAuthenticatorSetup, async ({ actor, policy, body, req }) => {
    if (body.replaceMethodId) {
      requireKindAllowed(ctx, policy, 'authenticator');
      const methods = await listMethods(ctx, actor.user.id);
      if (!methods.some((m) => m.id === body.replaceMethodId && m.kind === 'authenticator')) throw notFound();
    } else {
      await requireRoomFor(ctx, { actor, policy, clientIp: req.ip }, 'authenticator');
    }
    const expiresAt = ctx.clock.now() + SETUP_LIFETIME_MS;
    const secret = generateTotpSecret();
    const id = newId();
    await savePendingSetup(ctx, { id, userId: actor.user.id, secret, replaceMethodId: body.replaceMethodId ?? null, expiresAt });
    const accountName = actor.user.email ?? actor.user.username;
    return {
      setupId: id,
      secret,
      otpauthUri: totpUri({ secretBase32: secret, issuer: ctx.config.issuer, accountName }),
      issuer: ctx.config.issuer,
      accountName,
      expiresAt: new Date(expiresAt).toISOString(),
    };
  });

  route(app, api.confirmAuthenticatorSetup, async ({ actor, policy, body, req }) => {
    const setup = await findPendingSetup(ctx, actor.user.id, body.setupId);
    if (!setup || setup.expiresAt <= ctx.clock.now()) throw new ApiError(410, 'setup_expired');
    const request = { actor, policy, clientIp: req.ip };
    const consume = async (db: Parameters<typeof consumePendingSetup>[0]) => {
      if (!(await consumePendingSetup(db, setup.id))) throw new ApiError(410, 'setup_expired');
    };
    // The id is chosen first so the code's time step is recorded against the app it creates.
    const methodId = setup.replaceMethodId ?? newId();
    await verifyAndConsumeTotp(ctx, actor.user.id, body.code, [{ methodId, secret: setup.secret }]);

    if (setup.replaceMethodId) {
      // Reconfigure: the old secret worked until this moment; now the new one replaces it (docs/reference.md#reconfiguring-the-authenticator-app).
      const method = await replaceMethod(ctx, request, {
        methodId,
        kind: 'authenticator',
        label: body.label,
        updateDetails: async (db) => {
          await consume(db);
          if (!(await replaceTotpSecret(ctx, db, methodId, setup.secret))) throw notFound();
        },
      });
      return { method };
    }
    const method = await addMethod(ctx, request, {
      kind: 'authenticator',
      label: body.label,
      methodId,
      insertDetails: async (db) => {
        await consume(db);
        await insertTotpSecret(ctx, db, methodId, setup.secret);
      },
    });
    return { method };
  });
}

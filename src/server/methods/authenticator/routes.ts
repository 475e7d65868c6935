import type { FastifyInstance } from 'fastify';
import { authenticator as api, session as sessionApi } from '../../../shared/api/index.ts';
import { writeVerificationLog } from '../../audit/verification-log.ts';
import { MANAGING_STAGES, requireRecentVerification, requireStage } from '../../auth/guards.ts';
import { completeSecondFactor } from '../../auth/second-factor.ts';
import { markSecondFactor } from '../../auth/session-store.ts';
import { newId } from '../../crypto/random.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { route } from '../../http/route.ts';
import { recordSecurityInfoChange } from '../../security-info/changes.ts';
import { listMethods, methodSummary, registerMethodDescriber, usableMethods } from '../../security-info/methods.ts';
import { getPolicy } from '../../security-info/policy-store.ts';
import { methodLimits } from '../../security-info/routes.ts';
import { loadTotpSecrets, sealTotpSecret } from './secrets.ts';
import { generateTotpSecret, totpUri } from './totp.ts';
import { verifyAndConsumeTotp } from './verify-code.ts';

/** An issued secret waits this long for its first code before it is discarded. */
const SETUP_LIFETIME_MS = 15 * 60 * 1000;
const enrollmentAad = (id: string) => `enrollment:authenticator:${id}`;

export function authenticatorRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  // Authenticator apps have nothing to show beside the name their owner gave them.
  registerMethodDescriber('authenticator', async (_ctx, methods) => new Map(methods.map((m) => [m.id, { detail: null }])));

  route(app, sessionApi.verifyTotp, async ({ session, body, req, reply }) => {
    const actor = await requireStage(ctx, session, ['second_factor', 'signed_in', 'registration']);
    const policy = await getPolicy(ctx);
    if (!policy.enabledMethods.authenticator) throw new ApiError(409, 'method_not_allowed');
    const apps = (await listMethods(ctx, actor.user.id)).filter(
      (m) => m.kind === 'authenticator' && (!body.methodId || m.id === body.methodId),
    );
    if (apps.length === 0) throw notFound();
    try {
      const { methodId } = await verifyAndConsumeTotp(
        ctx,
        actor.user.id,
        body.code,
        await loadTotpSecrets(
          ctx,
          apps.map((m) => m.id),
        ),
      );
      await writeVerificationLog(ctx, {
        user: actor.user,
        event: actor.session.stage === 'second_factor' ? 'sign_in.second_factor' : 'reauthentication',
        authMode: 'totp',
        result: 'success',
        deviceToken: methodId,
        clientIp: req.ip,
      });
      return await completeSecondFactor(ctx, reply, actor, methodId);
    } catch (error) {
      if (error instanceof ApiError) {
        await writeVerificationLog(ctx, {
          user: actor.user,
          event: actor.session.stage === 'second_factor' ? 'sign_in.second_factor' : 'reauthentication',
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

  route(app, api.startAuthenticatorSetup, async ({ session, body }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    await requireRecentVerification(ctx, actor, policy);
    if (!policy.enabledMethods.authenticator) throw new ApiError(409, 'method_not_allowed');
    const methods = await listMethods(ctx, actor.user.id);
    if (body.replaceMethodId) {
      if (!methods.some((m) => m.id === body.replaceMethodId && m.kind === 'authenticator')) throw notFound();
    } else if (methods.filter((m) => m.kind === 'authenticator').length >= (await methodLimits(ctx)).authenticator) {
      throw new ApiError(409, 'method_limit_reached');
    }
    const now = ctx.clock.now();
    const secret = generateTotpSecret();
    const id = newId();
    // Unconfirmed secrets are sealed like confirmed ones; an abandoned setup leaves nothing readable.
    await ctx.db.deleteFrom('enrollments').where('user_id', '=', actor.user.id).where('expires_at', '<=', now).execute();
    await ctx.db
      .insertInto('enrollments')
      .values({
        id,
        user_id: actor.user.id,
        kind: 'authenticator',
        payload_enc: ctx.box.seal(secret, enrollmentAad(id)),
        replace_method_id: body.replaceMethodId ?? null,
        created_at: now,
        expires_at: now + SETUP_LIFETIME_MS,
      })
      .execute();
    const accountName = actor.user.email ?? actor.user.username;
    return {
      setupId: id,
      secret,
      otpauthUri: totpUri({ secretBase32: secret, issuer: ctx.config.issuer, accountName }),
      issuer: ctx.config.issuer,
      accountName,
      expiresAt: new Date(now + SETUP_LIFETIME_MS).toISOString(),
    };
  });

  route(app, api.confirmAuthenticatorSetup, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const now = ctx.clock.now();
    const enrollment = await ctx.db
      .selectFrom('enrollments')
      .selectAll()
      .where('id', '=', body.setupId)
      .where('user_id', '=', actor.user.id)
      .where('kind', '=', 'authenticator')
      .executeTakeFirst();
    if (!enrollment || enrollment.expires_at <= now) throw new ApiError(410, 'setup_expired');
    const secret = ctx.box.open(enrollment.payload_enc, enrollmentAad(enrollment.id));
    const replacing = enrollment.replace_method_id;

    // The id is chosen first so the code's time step is recorded against the app it creates.
    const methodId = replacing ?? newId();
    await verifyAndConsumeTotp(ctx, actor.user.id, body.code, [{ methodId, secret }]);

    const policy = await getPolicy(ctx);
    const limits = await methodLimits(ctx);
    // Decided before the transaction: SQLite has one connection, which the transaction holds.
    const needsDefault = !usableMethods(await listMethods(ctx, actor.user.id), policy).some((m) => m.id === actor.user.default_method_id);
    await ctx.db.transaction().execute(async (trx) => {
      const consumed = await trx.deleteFrom('enrollments').where('id', '=', enrollment.id).executeTakeFirst();
      if (Number(consumed.numDeletedRows) !== 1) throw new ApiError(410, 'setup_expired');
      if (replacing) {
        // Reconfigure: the old secret worked until this moment; now the new one replaces it (FACTS.md).
        const updated = await trx
          .updateTable('totp_secrets')
          .set({ secret_enc: sealTotpSecret(ctx, replacing, secret) })
          .where('method_id', '=', replacing)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw notFound();
        await trx.updateTable('methods').set({ label: body.label, last_used_at: now }).where('id', '=', replacing).execute();
        return;
      }
      const count = await trx
        .selectFrom('methods')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', actor.user.id)
        .where('kind', '=', 'authenticator')
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= limits.authenticator) throw new ApiError(409, 'method_limit_reached');
      await trx
        .insertInto('methods')
        .values({ id: methodId, user_id: actor.user.id, kind: 'authenticator', label: body.label, created_at: now, last_used_at: now })
        .execute();
      await trx
        .insertInto('totp_secrets')
        .values({ method_id: methodId, secret_enc: sealTotpSecret(ctx, methodId, secret) })
        .execute();
      if (needsDefault) {
        await trx.updateTable('users').set({ default_method_id: methodId }).where('id', '=', actor.user.id).execute();
      }
    });
    // Proving a new method counts as a fresh verification (the user just showed they hold it).
    await markSecondFactor(ctx, actor.session);
    await recordSecurityInfoChange(ctx, {
      user: actor.user,
      change: replacing ? 'method_reconfigured' : 'method_added',
      method: { id: methodId, kind: 'authenticator', label: body.label },
      clientIp: req.ip,
    });
    return { method: await methodSummary(ctx, actor.user.id, methodId) };
  });
}

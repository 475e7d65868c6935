import type { FastifyInstance } from 'fastify';
import { phone as api } from '../../../shared/api/index.ts';
import { deliveriesFor, type PhoneDelivery, type PhoneKind } from '../../../shared/api/phone.ts';
import { writeVerificationLog } from '../../audit/verification-log.ts';
import { MANAGING_STAGES, requireRecentVerification, requireStage, type Actor } from '../../auth/guards.ts';
import { completeSecondFactor } from '../../auth/second-factor.ts';
import { markSecondFactor } from '../../auth/session-store.ts';
import type { ServerContext } from '../../context.ts';
import { newId } from '../../crypto/random.ts';
import { ApiError, notFound } from '../../http/api-error.ts';
import { route } from '../../http/route.ts';
import { recordSecurityInfoChange, registerLogFacts } from '../../security-info/changes.ts';
import { listMethods, methodSummary, registerMethodDescriber, usableMethods } from '../../security-info/methods.ts';
import { getPolicy } from '../../security-info/policy-store.ts';
import { methodLimits } from '../../security-info/routes.ts';
import { openChallenge, retireChallenge, sendCode, verifyCode } from './code-challenges.ts';
import { formatPhoneNumber, maskPhoneNumber, parsePhoneInput } from './phone-number.ts';

function requireDelivery(kind: PhoneKind, delivery: PhoneDelivery): void {
  // Text messages go to mobile phones only; alternate and office phones are called.
  if (!deliveriesFor(kind).includes(delivery))
    throw new ApiError(400, 'invalid_input', { fields: [{ path: 'body.delivery', issue: 'not_for_kind' }] });
}

async function phoneOf(ctx: ServerContext, actor: Actor, methodId: string) {
  const row = await ctx.db
    .selectFrom('phones')
    .selectAll()
    .where('method_id', '=', methodId)
    .where('user_id', '=', actor.user.id)
    .executeTakeFirst();
  if (!row) throw notFound();
  return row;
}

export function phoneRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  // The owner sees the number; anyone at a sign-in prompt sees it masked (FACTS.md, issue rules).
  registerMethodDescriber('phone', async (c, methods, audience) => {
    const rows = await c.db
      .selectFrom('phones')
      .selectAll()
      .where(
        'method_id',
        'in',
        methods.map((m) => m.id),
      )
      .execute();
    return new Map(
      rows.map((r) => [
        r.method_id,
        {
          detail: audience === 'owner' ? formatPhoneNumber(r.e164, r.extension ?? undefined) : maskPhoneNumber(r.e164),
          phoneKind: r.phone_kind as PhoneKind,
        },
      ]),
    );
  });

  // Renames, deletions and default changes of a phone carry its number in the log (FACTS.md).
  registerLogFacts('phone', async (c, methodId) => {
    const row = await c.db.selectFrom('phones').select('e164').where('method_id', '=', methodId).executeTakeFirst();
    return { phone: row?.e164 ?? null };
  });

  route(app, api.startPhoneSetup, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    if (!policy.enabledMethods.phone) throw new ApiError(409, 'method_not_allowed');
    await requireRecentVerification(ctx, actor, policy);
    requireDelivery(body.phoneKind, body.delivery);
    const parsed = parsePhoneInput(body.number, body.country.toUpperCase(), body.extension || undefined);
    if (!parsed.ok) throw new ApiError(400, 'phone_invalid', { reason: parsed.reason });
    if (parsed.extension && body.phoneKind !== 'office') throw new ApiError(400, 'phone_invalid', { reason: 'invalid_extension' });

    const phones = await ctx.db.selectFrom('phones').selectAll().where('user_id', '=', actor.user.id).execute();
    if (body.replaceMethodId) {
      const current = phones.find((p) => p.method_id === body.replaceMethodId);
      if (!current) throw notFound();
      if (current.phone_kind !== body.phoneKind)
        throw new ApiError(400, 'invalid_input', { fields: [{ path: 'body.phoneKind', issue: 'kind_is_fixed' }] });
    } else {
      if (phones.some((p) => p.phone_kind === body.phoneKind)) throw new ApiError(409, 'phone_kind_taken');
      if (phones.length >= (await methodLimits(ctx)).phone) throw new ApiError(409, 'method_limit_reached');
    }
    return sendCode(
      ctx,
      policy,
      {
        user: actor.user,
        purpose: 'enroll',
        methodId: body.replaceMethodId ?? null,
        phoneKind: body.phoneKind,
        e164: parsed.e164,
        country: parsed.country,
        extension: parsed.extension ?? null,
        delivery: body.delivery,
        sessionHash: actor.session.idHash,
      },
      req.ip,
    );
  });

  route(app, api.resendPhoneCode, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, ['second_factor', 'signed_in', 'registration']);
    const policy = await getPolicy(ctx);
    const previous = await ctx.db
      .selectFrom('phone_challenges')
      .select('purpose')
      .where('id', '=', body.challengeId)
      .where('user_id', '=', actor.user.id)
      .executeTakeFirst();
    if (!previous) throw new ApiError(410, 'setup_expired');
    const purpose = previous.purpose === 'sign_in' ? 'sign_in' : 'enroll';
    const row = await openChallenge(ctx, { id: body.challengeId, userId: actor.user.id, sessionHash: actor.session.idHash, purpose });
    requireDelivery(row.phone_kind as PhoneKind, body.delivery);
    const next = await sendCode(
      ctx,
      policy,
      {
        user: actor.user,
        purpose,
        methodId: row.method_id,
        phoneKind: row.phone_kind as PhoneKind,
        e164: row.e164,
        country: '',
        extension: row.extension,
        delivery: body.delivery,
        sessionHash: actor.session.idHash,
      },
      req.ip,
    );
    await retireChallenge(ctx, row.id);
    return next;
  });

  route(app, api.confirmPhoneSetup, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, MANAGING_STAGES);
    const policy = await getPolicy(ctx);
    let row;
    try {
      row = await verifyCode(ctx, {
        id: body.challengeId,
        userId: actor.user.id,
        sessionHash: actor.session.idHash,
        purpose: 'enroll',
        code: body.code,
      });
    } catch (error) {
      if (error instanceof ApiError) {
        await writeVerificationLog(ctx, {
          user: actor.user,
          event: 'security_info.method_added',
          authMode: 'sms',
          result: 'denied',
          denialReason: error.code,
          clientIp: req.ip,
        });
      }
      throw error;
    }
    const authMode = row.delivery === 'voice' ? 'voice' : 'sms';
    const now = ctx.clock.now();
    const replacing = row.method_id;
    const methodId = replacing ?? newId();
    const needsDefault = !usableMethods(await listMethods(ctx, actor.user.id), policy).some((m) => m.id === actor.user.default_method_id);
    try {
      await ctx.db.transaction().execute(async (trx) => {
        if (replacing) {
          // Change of number: the new one is proved; only now does the old one go.
          await trx.updateTable('phones').set({ e164: row.e164, extension: row.extension }).where('method_id', '=', replacing).execute();
          await trx.updateTable('methods').set({ label: body.label, last_used_at: now }).where('id', '=', replacing).execute();
          return;
        }
        await trx
          .insertInto('methods')
          .values({ id: methodId, user_id: actor.user.id, kind: 'phone', label: body.label, created_at: now, last_used_at: now })
          .execute();
        await trx
          .insertInto('phones')
          .values({ method_id: methodId, user_id: actor.user.id, phone_kind: row.phone_kind, e164: row.e164, extension: row.extension })
          .execute();
        if (needsDefault) await trx.updateTable('users').set({ default_method_id: methodId }).where('id', '=', actor.user.id).execute();
      });
    } catch (error) {
      // The unique (user, kind) constraint: another tab added this kind meanwhile.
      if (
        !replacing &&
        (await ctx.db
          .selectFrom('phones')
          .select('method_id')
          .where('user_id', '=', actor.user.id)
          .where('phone_kind', '=', row.phone_kind)
          .executeTakeFirst())
      ) {
        throw new ApiError(409, 'phone_kind_taken');
      }
      throw error;
    }
    await markSecondFactor(ctx, actor.session);
    await recordSecurityInfoChange(ctx, {
      user: actor.user,
      change: replacing ? 'method_reconfigured' : 'method_added',
      method: { id: methodId, kind: 'phone', label: body.label },
      clientIp: req.ip,
      phone: row.e164,
      authMode,
    });
    return { method: await methodSummary(ctx, actor.user.id, methodId) };
  });

  route(app, api.sendSignInCode, async ({ session, body, req }) => {
    const actor = await requireStage(ctx, session, ['second_factor', 'signed_in', 'registration']);
    const policy = await getPolicy(ctx);
    if (!policy.enabledMethods.phone) throw new ApiError(409, 'method_not_allowed');
    const phone = await phoneOf(ctx, actor, body.methodId);
    requireDelivery(phone.phone_kind as PhoneKind, body.delivery);
    return sendCode(
      ctx,
      policy,
      {
        user: actor.user,
        purpose: 'sign_in',
        methodId: phone.method_id,
        phoneKind: phone.phone_kind as PhoneKind,
        e164: phone.e164,
        country: '',
        extension: phone.extension,
        delivery: body.delivery,
        sessionHash: actor.session.idHash,
      },
      req.ip,
    );
  });

  route(app, api.verifySignInCode, async ({ session, body, req, reply }) => {
    const actor = await requireStage(ctx, session, ['second_factor', 'signed_in', 'registration']);
    const policy = await getPolicy(ctx);
    if (!policy.enabledMethods.phone) throw new ApiError(409, 'method_not_allowed');
    const event = actor.session.stage === 'second_factor' ? 'sign_in.second_factor' : 'reauthentication';
    let row;
    try {
      row = await verifyCode(ctx, {
        id: body.challengeId,
        userId: actor.user.id,
        sessionHash: actor.session.idHash,
        purpose: 'sign_in',
        code: body.code,
      });
    } catch (error) {
      if (error instanceof ApiError) {
        await writeVerificationLog(ctx, {
          user: actor.user,
          event,
          authMode: 'sms',
          result: 'denied',
          denialReason: error.code,
          clientIp: req.ip,
        });
      }
      throw error;
    }
    if (!row.method_id) throw new ApiError(410, 'setup_expired');
    // The phone may have been deleted while the code was on its way.
    await phoneOf(ctx, actor, row.method_id);
    await writeVerificationLog(ctx, {
      user: actor.user,
      event,
      authMode: row.delivery === 'voice' ? 'voice' : 'sms',
      result: 'success',
      phone: row.e164,
      clientIp: req.ip,
    });
    return completeSecondFactor(ctx, reply, actor, row.method_id);
  });
}

import type { FastifyInstance } from 'fastify';
import { phone as api } from '../../../shared/api/index.ts';
import { allowedDeliveries, deliveriesFor, type PhoneDelivery, type PhoneKind } from '../../../shared/api/phone.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { ApiError, notFound } from '../../core/api-error.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import type { Actor } from '../../core/auth/guards.ts';
import { completeSecondFactor, verificationEvent } from '../../core/auth/second-factor.ts';
import { route } from '../../core/http/route.ts';
import { addMethod, replaceMethod, requireKindAllowed, requireRoomFor } from '../../core/security-info/service.ts';
import type { ServerContext } from '../../core/context.ts';
import { openChallenge, retireChallenge, sendCode, verifyCode, type ChallengeRow } from './code-challenges.ts';
import { parsePhoneInput } from './phone-number.ts';
import { challengePurpose, changeNumber, hasPhoneOfKind, insertPhone, phoneOf, phonesOf } from './store.ts';

function requireDelivery(kind: PhoneKind, delivery: PhoneDelivery): void {
  // Text messages go to mobile phones only; alternate and office phones are called.
  if (!deliveriesFor(kind).includes(delivery))
    throw new ApiError(400, 'invalid_input', { fields: [{ path: 'body.delivery', issue: 'not_for_kind' }] });
}

/** Refuses a phone kind or a delivery the organisation turned off (phoneOptions). */
function requireDeliveryAllowed(policy: OrgPolicy, kind: PhoneKind, delivery: PhoneDelivery): void {
  if (!allowedDeliveries(kind, policy).includes(delivery)) throw new ApiError(409, 'method_not_allowed');
}

async function ownPhone(ctx: ServerContext, actor: Actor, methodId: string) {
  const row = await phoneOf(ctx, actor.user.id, methodId);
  if (!row) throw notFound();
  return row;
}

/** Verifies a code, writing a refusal to the verification log before it reaches the user. */
async function verifyLogged(
  ctx: ServerContext,
  actor: Actor,
  input: { challengeId: string; code: string; purpose: 'enroll' | 'sign_in'; event: string; clientIp: string },
): Promise<ChallengeRow> {
  try {
    return await verifyCode(ctx, {
      id: input.challengeId,
      userId: actor.user.id,
      sessionHash: actor.session.idHash,
      purpose: input.purpose,
      code: input.code,
    });
  } catch (error) {
    if (error instanceof ApiError) {
      await writeVerificationLog(ctx, {
        user: actor.user,
        event: input.event,
        authMode: 'sms',
        result: 'denied',
        denialReason: error.code,
        clientIp: input.clientIp,
      });
    }
    throw error;
  }
}

const authModeOf = (row: ChallengeRow) => (row.delivery === 'voice' ? ('voice' as const) : ('sms' as const));

export function phoneRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.startPhoneSetup, async ({ actor, policy, body, req }) => {
    requireKindAllowed(ctx, policy, 'phone');
    requireDelivery(body.phoneKind, body.delivery);
    requireDeliveryAllowed(policy, body.phoneKind, body.delivery);
    const parsed = parsePhoneInput(body.number, body.country.toUpperCase(), body.extension || undefined);
    if (!parsed.ok) throw new ApiError(400, 'phone_invalid', { reason: parsed.reason });
    if (parsed.extension && body.phoneKind !== 'office') throw new ApiError(400, 'phone_invalid', { reason: 'invalid_extension' });

    const phones = await phonesOf(ctx, actor.user.id);
    if (body.replaceMethodId) {
      const current = phones.find((p) => p.method_id === body.replaceMethodId);
      if (!current) throw notFound();
      if (current.phone_kind !== body.phoneKind)
        throw new ApiError(400, 'invalid_input', { fields: [{ path: 'body.phoneKind', issue: 'kind_is_fixed' }] });
    } else {
      if (phones.some((p) => p.phone_kind === body.phoneKind)) throw new ApiError(409, 'phone_kind_taken');
      await requireRoomFor(ctx, { actor, policy, clientIp: req.ip }, 'phone');
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

  route(app, api.resendPhoneCode, async ({ actor, policy, body, req }) => {
    const previous = await challengePurpose(ctx, actor.user.id, body.challengeId);
    if (!previous) throw new ApiError(410, 'setup_expired');
    const purpose = previous === 'sign_in' ? 'sign_in' : 'enroll';
    const row = await openChallenge(ctx, { id: body.challengeId, userId: actor.user.id, sessionHash: actor.session.idHash, purpose });
    requireDelivery(row.phone_kind, body.delivery);
    requireDeliveryAllowed(policy, row.phone_kind, body.delivery);
    const next = await sendCode(
      ctx,
      policy,
      {
        user: actor.user,
        purpose,
        methodId: row.method_id,
        phoneKind: row.phone_kind,
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

  route(app, api.confirmPhoneSetup, async ({ actor, policy, body, req }) => {
    const row = await verifyLogged(ctx, actor, {
      challengeId: body.challengeId,
      code: body.code,
      purpose: 'enroll',
      event: 'security_info.method_added',
      clientIp: req.ip,
    });
    // The policy may have changed while the code was on its way.
    requireDeliveryAllowed(policy, row.phone_kind, row.delivery);
    const request = { actor, policy, clientIp: req.ip };
    const log = { phone: row.e164, authMode: authModeOf(row) };
    if (row.method_id) {
      // Change of number: the new one is proved; only now does the old one go.
      const replacing = row.method_id;
      const method = await replaceMethod(ctx, request, {
        methodId: replacing,
        kind: 'phone',
        label: body.label,
        updateDetails: (db) => changeNumber(db, replacing, row.e164, row.extension),
        log,
      });
      return { method };
    }
    try {
      const method = await addMethod(ctx, request, {
        kind: 'phone',
        label: body.label,
        insertDetails: (db, methodId) =>
          insertPhone(db, {
            method_id: methodId,
            user_id: actor.user.id,
            phone_kind: row.phone_kind,
            e164: row.e164,
            extension: row.extension,
          }),
        log,
        // A phone that becomes the default is reached the way it was just proved.
        defaultDelivery: row.delivery,
      });
      return { method };
    } catch (error) {
      // The unique (user, kind) constraint: another tab added this kind meanwhile.
      if (!(error instanceof ApiError) && (await hasPhoneOfKind(ctx, actor.user.id, row.phone_kind))) {
        throw new ApiError(409, 'phone_kind_taken');
      }
      throw error;
    }
  });

  route(app, api.sendSignInCode, async ({ actor, policy, body, req }) => {
    requireKindAllowed(ctx, policy, 'phone');
    const phone = await ownPhone(ctx, actor, body.methodId);
    requireDelivery(phone.phone_kind, body.delivery);
    requireDeliveryAllowed(policy, phone.phone_kind, body.delivery);
    return sendCode(
      ctx,
      policy,
      {
        user: actor.user,
        purpose: 'sign_in',
        methodId: phone.method_id,
        phoneKind: phone.phone_kind,
        e164: phone.e164,
        country: '',
        extension: phone.extension,
        delivery: body.delivery,
        sessionHash: actor.session.idHash,
      },
      req.ip,
    );
  });

  route(app, api.verifySignInCode, async ({ actor, policy, body, req, reply }) => {
    requireKindAllowed(ctx, policy, 'phone');
    const event = verificationEvent(actor.session.stage);
    const row = await verifyLogged(ctx, actor, {
      challengeId: body.challengeId,
      code: body.code,
      purpose: 'sign_in',
      event,
      clientIp: req.ip,
    });
    if (!row.method_id) throw new ApiError(410, 'setup_expired');
    // The phone may have been deleted, or its delivery turned off, while the code was on its way.
    await ownPhone(ctx, actor, row.method_id);
    requireDeliveryAllowed(policy, row.phone_kind, row.delivery);
    await writeVerificationLog(ctx, {
      user: actor.user,
      event,
      authMode: authModeOf(row),
      result: 'success',
      phone: row.e164,
      clientIp: req.ip,
    });
    return completeSecondFactor(ctx, reply, actor, policy, row.method_id);
  });
}

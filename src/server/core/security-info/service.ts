import type { MethodSummary, PhoneDelivery } from '../../../shared/api/common.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { methodKinds, type MethodKind, type OrgPolicy } from '../../../shared/policy.ts';
import { ApiError, notFound } from '../api-error.ts';
import type { AuthMode } from '../audit/verification-log.ts';
import type { Actor } from '../auth/guards.ts';
import { markSecondFactor } from '../sessions/session-store.ts';
import type { ServerContext } from '../context.ts';
import { newId } from '../crypto/random.ts';
import { inTransaction, type TransactionContext } from '../transaction.ts';
import type { UserRow } from '../users/users.ts';
import { logFactsOf, recordSecurityInfoChange } from './changes.ts';
import { defaultDeliveryAllowed, detailOf, hasUsableDefault } from './default-method.ts';
import type { LogFacts } from './method-kind.ts';
import {
  turnedOffMethodIds,
  countMethodsOfKinds,
  deleteMethodRow,
  findMethodOf,
  listMethods,
  relabelMethod,
  insertMethod,
  setDefaultMethodId,
  usableMethods,
  type MethodRow,
  type Queryable,
} from './method-store.ts';
import { askedFirst, methodSummary, summarizeMethods } from './summaries.ts';

/**
 * The one place that adds, replaces, renames and deletes methods and changes
 * the default, for every kind: the limit, the default for a first method, the
 * verification-log record and the e-mail to the user are written once, here.
 */

/** Who asks for a change, under which policy, from where. */
export interface ChangeRequest {
  actor: Actor;
  policy: OrgPolicy;
  clientIp: string;
}

/** How the change was proved, for its log record. */
export type ChangeLog = LogFacts & { authMode?: AuthMode };

export async function buildSecurityInfo(ctx: ServerContext, user: UserRow, policy: OrgPolicy): Promise<SecurityInfo> {
  const methods = await listMethods(ctx, user.id);
  const summaries = await summarizeMethods(ctx, user, methods, policy);
  return {
    methods: summaries,
    // Only a usable default counts: one the policy turned off must be replaced.
    defaultMethodId: summaries.find((m) => m.isDefault)?.id ?? null,
    defaultDelivery: summaries.some((m) => m.isDefault) ? user.default_delivery : null,
    askedFirst: askedFirst(summaries, user, policy),
    systemPreferred: policy.strongerMethods.systemPreferred,
    canAdd: methodKinds.flatMap((kind) => {
      const module = ctx.kinds.get(kind);
      if (!module) return [];
      const options = module.addOptions?.(policy);
      return [
        {
          kind,
          remaining: Math.max(
            0,
            ctx.kinds.limit(kind, policy) - methods.filter((m) => ctx.kinds.countedWith(kind).includes(m.kind)).length,
          ),
          turnedOff: !policy.enabledMethods[kind] || options?.allowed === false,
          ...(options?.phones ? { phones: options.phones } : {}),
        },
      ];
    }),
  };
}

async function ownMethod(ctx: ServerContext, actor: Actor, methodId: string): Promise<MethodRow> {
  const method = await findMethodOf(ctx, actor.user.id, methodId);
  if (!method) throw notFound();
  return method;
}

/** Refuses a kind the organisation turned off, or one this server was not built with. */
export function requireKindAllowed(ctx: ServerContext, policy: OrgPolicy, kind: MethodKind): void {
  if (!policy.enabledMethods[kind] || !ctx.kinds.get(kind)) throw new ApiError(409, 'method_not_allowed');
}

/** Refuses a method the organisation turned off (its kind, or the kind's finer options), at sign-in or as a default. */
export async function requireMethodUsable(ctx: ServerContext, policy: OrgPolicy, method: MethodRow): Promise<void> {
  if ((await turnedOffMethodIds(ctx, [method], policy)).has(method.id)) throw new ApiError(409, 'method_not_allowed');
}

/** Refuses a set-up before it starts when the user already has as many of the kind as the policy allows. */
export async function requireRoomFor(ctx: ServerContext, request: ChangeRequest, kind: MethodKind): Promise<void> {
  requireKindAllowed(ctx, request.policy, kind);
  if ((await countMethodsOfKinds(ctx.db, request.actor.user.id, ctx.kinds.countedWith(kind))) >= ctx.kinds.limit(kind, request.policy)) {
    throw new ApiError(409, 'method_limit_reached');
  }
}

/**
 * Adds a method the user has just proved they hold. The count is checked again
 * inside the transaction, so two set-ups finished together cannot pass the
 * limit; the kind writes its own rows in the same transaction.
 */
export async function addMethod(
  ctx: ServerContext,
  request: ChangeRequest,
  input: {
    kind: MethodKind;
    label: string;
    /** Chosen by the caller where the kind's proof is recorded against the new id first (a TOTP step). */
    methodId?: string;
    insertDetails(db: Queryable, methodId: string): Promise<void>;
    log?: ChangeLog;
    /** How the new method's code arrives when it becomes the default (a phone proved by text or call). */
    defaultDelivery?: PhoneDelivery;
  },
): Promise<MethodSummary> {
  const { actor, policy } = request;
  requireKindAllowed(ctx, policy, input.kind);
  const methodId = input.methodId ?? newId();
  const now = ctx.clock.now();
  const limit = ctx.kinds.limit(input.kind, policy);
  // Decided before the transaction: SQLite has one connection, which the transaction holds.
  const needsDefault = !(await hasUsableDefault(
    ctx,
    actor.user,
    await usableMethods(ctx, await listMethods(ctx, actor.user.id), policy),
    policy,
  ));
  const defaultDelivery = input.defaultDelivery ?? null;
  const user = needsDefault ? { ...actor.user, default_method_id: methodId, default_delivery: defaultDelivery } : actor.user;
  const method = { id: methodId, kind: input.kind, label: input.label };
  await inTransaction(ctx, async (tx) => {
    if ((await countMethodsOfKinds(tx.db, actor.user.id, ctx.kinds.countedWith(input.kind))) >= limit) {
      throw new ApiError(409, 'method_limit_reached');
    }
    await insertMethod(tx.db, {
      id: methodId,
      user_id: actor.user.id,
      kind: input.kind,
      label: input.label,
      created_at: now,
      last_used_at: now,
    });
    await input.insertDetails(tx.db, methodId);
    if (needsDefault) await setDefaultMethodId(tx.db, actor.user.id, methodId, defaultDelivery);
    await recordProvedChange(tx, request, user, method, 'method_added', input.log);
  });
  return finishChange(ctx, request, user, methodId);
}

/**
 * Replaces what proves an existing method (a new secret, a new number) once the
 * new one is proved: until this moment the old one kept working.
 */
export async function replaceMethod(
  ctx: ServerContext,
  request: ChangeRequest,
  input: {
    methodId: string;
    kind: MethodKind;
    label: string;
    updateDetails(db: Queryable): Promise<void>;
    log?: ChangeLog;
  },
): Promise<MethodSummary> {
  const method = await ownMethod(ctx, request.actor, input.methodId);
  if (method.kind !== input.kind) throw notFound();
  await inTransaction(ctx, async (tx) => {
    await input.updateDetails(tx.db);
    await relabelMethod(tx.db, method.id, input.label, ctx.clock.now());
    await recordProvedChange(tx, request, request.actor.user, { ...method, label: input.label }, 'method_reconfigured', input.log);
  });
  return finishChange(ctx, request, request.actor.user, method.id);
}

/** The log record and notice of a method just added or re-proved, in its transaction. */
function recordProvedChange(
  tx: TransactionContext,
  request: ChangeRequest,
  user: UserRow,
  method: { id: string; kind: MethodKind; label: string },
  change: 'method_added' | 'method_reconfigured',
  log: ChangeLog = {},
): Promise<void> {
  const { authMode, ...facts } = log;
  return recordSecurityInfoChange(tx, { user, change, method, clientIp: request.clientIp, facts, ...(authMode ? { authMode } : {}) });
}

async function finishChange(ctx: ServerContext, request: ChangeRequest, user: UserRow, methodId: string): Promise<MethodSummary> {
  // Proving a new method counts as a fresh verification (the user just showed they hold it).
  await markSecondFactor(ctx, request.actor.session);
  return methodSummary(ctx, user, methodId, request.policy);
}

export async function renameMethod(ctx: ServerContext, request: ChangeRequest, methodId: string, label: string): Promise<void> {
  const method = await ownMethod(ctx, request.actor, methodId);
  if (method.label === label) return;
  const facts = await logFactsOf(ctx, method);
  await inTransaction(ctx, async (tx) => {
    await relabelMethod(tx.db, method.id, label);
    await recordSecurityInfoChange(tx, {
      user: request.actor.user,
      change: 'method_renamed',
      method: { ...method, label },
      clientIp: request.clientIp,
      facts,
    });
  });
}

/**
 * Makes a usable method the default; for a phone, `delivery` says whether it is texted or called,
 * and must be one the policy allows for it (docs/reference.md#default-method).
 */
export async function setDefaultMethod(
  ctx: ServerContext,
  request: ChangeRequest,
  methodId: string,
  delivery: PhoneDelivery | undefined,
): Promise<UserRow> {
  const { actor, policy } = request;
  const method = await ownMethod(ctx, actor, methodId);
  await requireMethodUsable(ctx, policy, method);
  const deliveries = (await detailOf(ctx, method, policy))?.deliveries;
  if (delivery !== undefined && !deliveries) throw new ApiError(400, 'invalid_input');
  if (delivery !== undefined && !defaultDeliveryAllowed(delivery, deliveries)) throw new ApiError(409, 'method_not_allowed');
  const chosen = delivery ?? null;
  if (actor.user.default_method_id === method.id && actor.user.default_delivery === chosen) return actor.user;
  const facts = await logFactsOf(ctx, method);
  await inTransaction(ctx, async (tx) => {
    await setDefaultMethodId(tx.db, actor.user.id, method.id, chosen);
    await recordSecurityInfoChange(tx, {
      user: actor.user,
      change: 'default_changed',
      method,
      clientIp: request.clientIp,
      facts,
      ...(chosen ? { authMode: chosen } : {}),
    });
  });
  return { ...actor.user, default_method_id: method.id, default_delivery: chosen };
}

/** Deletes a method, never the last usable one (docs/reference.md#more-than-one-method). */
export async function deleteMethod(ctx: ServerContext, request: ChangeRequest, methodId: string): Promise<UserRow> {
  const { actor, policy } = request;
  const method = await ownMethod(ctx, actor, methodId);
  const usable = await usableMethods(ctx, await listMethods(ctx, actor.user.id), policy);
  const remaining = usable.filter((m) => m.id !== method.id);
  if (remaining.length === 0 && usable.some((m) => m.id === method.id)) throw new ApiError(409, 'method_last_usable');
  // Read before the delete: the kind's own rows go with the method.
  const facts = await logFactsOf(ctx, method);
  const wasDefault = actor.user.default_method_id === method.id;
  const nextDefault = wasDefault ? (remaining[0]?.id ?? null) : actor.user.default_method_id;
  await inTransaction(ctx, async (tx) => {
    await deleteMethodRow(tx.db, method.id);
    if (wasDefault) await setDefaultMethodId(tx.db, actor.user.id, nextDefault);
    await recordSecurityInfoChange(tx, { user: actor.user, change: 'method_deleted', method, clientIp: request.clientIp, facts });
  });
  return wasDefault ? { ...actor.user, default_method_id: nextDefault, default_delivery: null } : actor.user;
}

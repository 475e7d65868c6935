import type { MethodSummary, PhoneDelivery, SignInOption } from '../../../shared/api/common.ts';
import { systemPreferredOrder } from '../../../shared/system-preferred.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { notFound } from '../api-error.ts';
import type { ServerContext } from '../context.ts';
import type { UserRow } from '../users/users.ts';
import type { DetailAudience, MethodDetail } from './method-kind.ts';
import { defaultDeliveryAllowed } from './default-method.ts';
import { listMethods, turnedOffMethodIds, type MethodRow } from './method-store.ts';

async function details(
  ctx: ServerContext,
  methods: MethodRow[],
  audience: DetailAudience,
  policy: OrgPolicy,
): Promise<Map<string, MethodDetail>> {
  const all = new Map<string, MethodDetail>();
  for (const module of ctx.kinds.modules) {
    const ofKind = methods.filter((m) => m.kind === module.kind);
    if (ofKind.length > 0 && module.describe) {
      for (const [id, detail] of await module.describe(ctx, ofKind, audience, policy)) all.set(id, detail);
    }
  }
  return all;
}

const iso = (ms: number) => new Date(ms).toISOString();

type Described = { summary: MethodSummary; detail: MethodDetail | undefined };

async function describeMethods(
  ctx: ServerContext,
  user: UserRow,
  methods: MethodRow[],
  policy: OrgPolicy,
  audience: DetailAudience,
): Promise<Described[]> {
  const [detailById, off] = await Promise.all([details(ctx, methods, audience, policy), turnedOffMethodIds(ctx, methods, policy)]);
  return methods.map((m) => {
    const detail = detailById.get(m.id);
    const turnedOff = off.has(m.id);
    const summary: MethodSummary = {
      id: m.id,
      kind: m.kind,
      label: m.label,
      detail: detail?.detail ?? null,
      ...(detail?.phoneKind ? { phoneKind: detail.phoneKind } : {}),
      ...(detail?.deliveries ? { deliveries: detail.deliveries } : {}),
      createdAt: iso(m.created_at),
      lastUsedAt: m.last_used_at === null ? null : iso(m.last_used_at),
      // A default the policy turned off (the method, or the delivery it names) is no default until the user picks a usable one.
      isDefault: !turnedOff && m.id === user.default_method_id && defaultDeliveryAllowed(user.default_delivery, detail?.deliveries),
      turnedOff,
    };
    return { summary, detail };
  });
}

/** The methods as their owner sees them; a method the policy turned off is marked so, and kept. */
export async function summarizeMethods(
  ctx: ServerContext,
  user: UserRow,
  methods: MethodRow[],
  policy: OrgPolicy,
  /** `challenge` masks what identifies a method (a phone's number), for anyone but its owner. */
  audience: DetailAudience = 'owner',
): Promise<MethodSummary[]> {
  return (await describeMethods(ctx, user, methods, policy, audience)).map((d) => d.summary);
}

/** The default's delivery leads, so the prompt offers "text me" or "call me" as the user chose. */
function defaultDeliveryFirst<D extends string>(deliveries: D[], user: UserRow): D[] {
  return [...deliveries].sort((a, b) => Number(b === user.default_delivery) - Number(a === user.default_delivery));
}

function toSignInOption(s: MethodSummary, user: UserRow): SignInOption {
  return {
    methodId: s.id,
    kind: s.kind,
    label: s.label,
    detail: s.detail,
    isDefault: s.isDefault,
    ...(s.phoneKind ? { phoneKind: s.phoneKind } : {}),
    ...(s.deliveries ? { deliveries: s.isDefault ? defaultDeliveryFirst(s.deliveries, user) : s.deliveries } : {}),
    turnedOff: s.turnedOff,
  };
}

/**
 * Usable options first and turned-off ones last: the strongest first under the system-preferred
 * policy (docs/reference.md#stronger-methods-first), otherwise the default leading.
 */
function inSignInOrder(options: SignInOption[], policy: OrgPolicy): SignInOption[] {
  if (policy.strongerMethods.systemPreferred) return systemPreferredOrder(options);
  const rank = (o: SignInOption) => (o.turnedOff ? 2 : o.isDefault ? 0 : 1);
  return options.sort((a, b) => rank(a) - rank(b));
}

/** The user's methods for the second step or re-verification, in the order they are offered; turned-off ones marked. */
export async function signInOptions(
  ctx: ServerContext,
  user: UserRow,
  policy: OrgPolicy,
  /** The user's methods, where the caller has already read them for this request. */
  known?: MethodRow[],
): Promise<SignInOption[]> {
  const described = await describeMethods(ctx, user, known ?? (await listMethods(ctx, user.id)), policy, 'challenge');
  return inSignInOrder(
    described.map(({ summary }) => toSignInOption(summary, user)),
    policy,
  );
}

/** What the second step asks for first (the owner's methods as summarised): a method, and for a phone how its code is offered first. */
export function askedFirst(
  summaries: readonly MethodSummary[],
  user: UserRow,
  policy: OrgPolicy,
): { methodId: string; delivery: PhoneDelivery | null } | null {
  const first = inSignInOrder(
    summaries.map((s) => toSignInOption(s, user)),
    policy,
  ).find((o) => !o.turnedOff);
  return first ? { methodId: first.methodId, delivery: first.deliveries?.[0] ?? null } : null;
}

/** One method as its owner sees it, e.g. right after adding it. */
export async function methodSummary(ctx: ServerContext, user: UserRow, methodId: string, policy: OrgPolicy): Promise<MethodSummary> {
  const [summary] = await summarizeMethods(
    ctx,
    user,
    (await listMethods(ctx, user.id)).filter((m) => m.id === methodId),
    policy,
  );
  if (!summary) throw notFound();
  return summary;
}

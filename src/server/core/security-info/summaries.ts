import type { MethodSummary, SignInOption } from '../../../shared/api/common.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { notFound } from '../api-error.ts';
import type { ServerContext } from '../context.ts';
import type { UserRow } from '../users/users.ts';
import type { DetailAudience, MethodDetail } from './method-kind.ts';
import { listMethods, usableMethods, type MethodRow } from './method-store.ts';

async function details(ctx: ServerContext, methods: MethodRow[], audience: DetailAudience): Promise<Map<string, MethodDetail>> {
  const all = new Map<string, MethodDetail>();
  for (const module of ctx.kinds.modules) {
    const ofKind = methods.filter((m) => m.kind === module.kind);
    if (ofKind.length > 0 && module.describe) for (const [id, detail] of await module.describe(ctx, ofKind, audience)) all.set(id, detail);
  }
  return all;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function summarizeMethods(
  ctx: ServerContext,
  user: UserRow,
  methods: MethodRow[],
  audience: DetailAudience = 'owner',
): Promise<MethodSummary[]> {
  const detailById = await details(ctx, methods, audience);
  return methods.map((m) => {
    const detail = detailById.get(m.id);
    return {
      id: m.id,
      kind: m.kind,
      label: m.label,
      detail: detail?.detail ?? null,
      ...(detail?.phoneKind ? { phoneKind: detail.phoneKind } : {}),
      createdAt: iso(m.created_at),
      lastUsedAt: m.last_used_at === null ? null : iso(m.last_used_at),
      isDefault: m.id === user.default_method_id,
    };
  });
}

/** Methods that can prove the user's identity at sign-in, default first. */
export async function signInOptions(ctx: ServerContext, user: UserRow, policy: OrgPolicy): Promise<SignInOption[]> {
  const usable = usableMethods(await listMethods(ctx, user.id), policy);
  const summaries = await summarizeMethods(ctx, user, usable, 'challenge');
  return summaries
    .map((s) => ({
      methodId: s.id,
      kind: s.kind,
      label: s.label,
      detail: s.detail,
      isDefault: s.isDefault,
      ...(s.phoneKind ? { phoneKind: s.phoneKind } : {}),
    }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

/** One method as its owner sees it, e.g. right after adding it. */
export async function methodSummary(ctx: ServerContext, user: UserRow, methodId: string): Promise<MethodSummary> {
  const [summary] = await summarizeMethods(
    ctx,
    user,
    (await listMethods(ctx, user.id)).filter((m) => m.id === methodId),
  );
  if (!summary) throw notFound();
  return summary;
}

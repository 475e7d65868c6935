import type { Selectable } from 'kysely';
import type { MethodSummary, PhoneKind, SignInOption } from '../../shared/api/common.ts';
import type { MethodKind, OrgPolicy } from '../../shared/policy.ts';
import type { ServerContext } from '../context.ts';
import type { MethodsTable } from '../storage/schema.ts';
import { getUser, type UserRow } from '../users/users.ts';
import { notFound } from '../http/api-error.ts';

export type MethodRow = Selectable<MethodsTable>;

/**
 * What each kind of method contributes to the common list: the detail its
 * owner recognises it by (a masked number, say). Feature modules register here.
 */
export type DetailAudience = 'owner' | 'challenge';
/** `owner`: the user managing their security info; `challenge`: a sign-in prompt, where details are masked. */
export interface MethodDetail {
  detail: string | null;
  phoneKind?: PhoneKind;
}
export type MethodDescriber = (ctx: ServerContext, methods: MethodRow[], audience: DetailAudience) => Promise<Map<string, MethodDetail>>;
const describers = new Map<MethodKind, MethodDescriber>();

export function registerMethodDescriber(kind: MethodKind, describe: MethodDescriber): void {
  describers.set(kind, describe);
}

export async function listMethods(ctx: ServerContext, userId: string): Promise<MethodRow[]> {
  return ctx.db.selectFrom('methods').selectAll().where('user_id', '=', userId).orderBy('created_at', 'asc').execute();
}

/** A method counts only while the organisation allows its kind. */
export function usableMethods(methods: MethodRow[], policy: OrgPolicy): MethodRow[] {
  return methods.filter((m) => policy.enabledMethods[m.kind as MethodKind]);
}

async function details(ctx: ServerContext, methods: MethodRow[], audience: DetailAudience): Promise<Map<string, MethodDetail>> {
  const all = new Map<string, MethodDetail>();
  for (const [kind, describe] of describers) {
    const ofKind = methods.filter((m) => m.kind === kind);
    if (ofKind.length > 0) for (const [id, detail] of await describe(ctx, ofKind, audience)) all.set(id, detail);
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
  return methods.map((m) => ({
    id: m.id,
    kind: m.kind as MethodKind,
    label: m.label,
    detail: detailById.get(m.id)?.detail ?? null,
    ...(detailById.get(m.id)?.phoneKind ? { phoneKind: detailById.get(m.id)?.phoneKind } : {}),
    createdAt: iso(m.created_at),
    lastUsedAt: m.last_used_at === null ? null : iso(m.last_used_at),
    isDefault: m.id === user.default_method_id,
  }));
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

export async function markMethodUsed(ctx: ServerContext, methodId: string): Promise<void> {
  await ctx.db.updateTable('methods').set({ last_used_at: ctx.clock.now() }).where('id', '=', methodId).execute();
}

/** One method as its owner sees it, e.g. right after adding it. */
export async function methodSummary(ctx: ServerContext, userId: string, methodId: string): Promise<MethodSummary> {
  const user = await getUser(ctx, userId);
  const [summary] = await summarizeMethods(
    ctx,
    user,
    (await listMethods(ctx, userId)).filter((m) => m.id === methodId),
  );
  if (!summary) throw notFound();
  return summary;
}

import type { FastifyInstance } from 'fastify';
import { hardwareTokensPageSize, type HardwareToken } from '../../../shared/api/hardware-token.ts';
import { hardwareToken as api } from '../../../shared/api/index.ts';
import { ApiError, notFound } from '../../core/api-error.ts';
import type { Actor } from '../../core/auth/guards.ts';
import { writeVerificationLog } from '../../core/audit/verification-log.ts';
import type { ServerContext } from '../../core/context.ts';
import { route } from '../../core/http/route.ts';
import { recordSecurityInfoChange } from '../../core/security-info/changes.ts';
import { deleteMethodRow, findMethodOf, listMethods, setDefaultMethodId, usableMethods } from '../../core/security-info/method-store.ts';
import { getPolicy } from '../../core/security-info/policy-store.ts';
import { inTransaction } from '../../core/transaction.ts';
import { findUserByUsername, getUser } from '../../core/users/users.ts';
import { checkImport, commitImport, previewOf } from './import/import-tokens.ts';
import { deleteTokenRow, findToken, listTokens, setTokenAssignment, type TokenListRow, type TokenRow } from './store.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function tokenView(row: TokenListRow): HardwareToken {
  return {
    id: row.id,
    serial: row.serial,
    manufacturer: row.manufacturer,
    model: row.model,
    kind: row.kind,
    assignedTo: row.username,
    activated: row.method_id !== null,
    lastUsedAt: iso(row.last_used_at),
    importedAt: iso(row.imported_at)!,
  };
}

async function adminLog(ctx: ServerContext, actor: Actor, event: string, clientIp: string, deviceToken: string | null = null) {
  await writeVerificationLog(ctx, {
    user: actor.user,
    event: `admin.${event}`,
    authMode: 'hardware_token',
    result: 'success',
    clientIp,
    deviceToken,
  });
}

/**
 * Takes an activated token from its user: their method goes (another usable one becomes the
 * default), the change is logged under them and they are e-mailed, as for every change of
 * their security info.
 */
async function removeUsersMethod(ctx: ServerContext, token: TokenRow, clientIp: string): Promise<void> {
  if (!token.method_id || !token.assigned_user_id) return;
  const user = await getUser(ctx, token.assigned_user_id);
  const method = await findMethodOf(ctx, user.id, token.method_id);
  if (!method) return;
  const policy = await getPolicy(ctx);
  const others = (await usableMethods(ctx, await listMethods(ctx, user.id), policy)).filter((m) => m.id !== method.id);
  // The deletion, its log record and the user's e-mail commit together (docs/reference.md#mail-queue).
  await inTransaction(ctx, async (tx) => {
    await deleteMethodRow(tx.db, method.id);
    if (user.default_method_id === method.id) await setDefaultMethodId(tx.db, user.id, others[0]?.id ?? null);
    await recordSecurityInfoChange(tx, { user, change: 'method_deleted', method, clientIp, facts: { deviceToken: token.serial } });
  });
}

export function hardwareTokenAdminRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  const viewOf = async (tokenId: string): Promise<HardwareToken> => {
    const token = await findToken(ctx, tokenId);
    if (!token) throw notFound();
    const username = token.assigned_user_id ? (await getUser(ctx, token.assigned_user_id)).username : null;
    return tokenView({ ...token, username });
  };
  const tokenOrNotFound = async (tokenId: string): Promise<TokenRow> => {
    const token = await findToken(ctx, tokenId);
    if (!token) throw notFound();
    return token;
  };

  route(app, api.previewTokenImport, async ({ body }) => previewOf(body.format, await checkImport(ctx, body)));

  route(app, api.commitTokenImport, async ({ actor, body, req }) => {
    const imported = await commitImport(ctx, body);
    await adminLog(ctx, actor, 'hardware_tokens_imported', req.ip);
    return { imported };
  });

  route(app, api.listHardwareTokens, async ({ query }) => {
    const page = await listTokens(ctx, query, hardwareTokensPageSize);
    const last = page.rows.at(-1);
    return { tokens: page.rows.map(tokenView), next: page.more && last ? last.serial : null, total: page.total };
  });

  route(app, api.assignHardwareToken, async ({ actor, params, body, req }) => {
    const token = await tokenOrNotFound(params.tokenId);
    const user = await findUserByUsername(ctx, body.username);
    if (!user) throw notFound();
    if (token.assigned_user_id === user.id) return viewOf(token.id);
    // An activated token is someone's method: take it from them first.
    if (token.method_id) throw new ApiError(409, 'token_activated');
    await setTokenAssignment(ctx.db, token.id, user.id);
    await adminLog(ctx, actor, 'hardware_token_assigned', req.ip, token.serial);
    return viewOf(token.id);
  });

  route(app, api.unassignHardwareToken, async ({ actor, params, req }) => {
    const token = await tokenOrNotFound(params.tokenId);
    await removeUsersMethod(ctx, token, req.ip);
    await setTokenAssignment(ctx.db, token.id, null);
    await adminLog(ctx, actor, 'hardware_token_unassigned', req.ip, token.serial);
    return viewOf(token.id);
  });

  route(app, api.deleteHardwareToken, async ({ actor, params, req }) => {
    const token = await tokenOrNotFound(params.tokenId);
    await removeUsersMethod(ctx, token, req.ip);
    await deleteTokenRow(ctx.db, token.id);
    await adminLog(ctx, actor, 'hardware_token_deleted', req.ip, token.serial);
    return { ok: true as const };
  });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { methodKindSchema } from '../../../../shared/policy.ts';
import type { ServerContext } from '../../context.ts';
import { randomToken, sha256Hex } from '../../crypto/random.ts';
import type { SessionRecord } from '../../sessions/session-store.ts';
import type { Queryable } from '../../security-info/method-store.ts';

/** A reset ends 15 minutes after it started, whatever was done in it (docs/reference.md#self-service-password-reset). */
export const RESET_FLOW_SECONDS = 15 * 60;

// A recovery code proves the user without being a method: its proof carries `RECOVERY_CODE_PROOF` as id.
const proofsSchema = z.array(z.object({ methodId: z.string(), kind: z.union([methodKindSchema, z.literal('recovery_code')]) }));
export type ResetProof = z.infer<typeof proofsSchema>[number];

export interface ResetFlow {
  idHash: string;
  /** Null: the reset cannot go on, and says so exactly as it would for an unknown user name. */
  userId: string | null;
  sessionHash: string;
  methodsRequired: number;
  proofs: ResetProof[];
  createdAt: number;
  expiresAt: number;
}

/**
 * The flow cookie binds each step to the browser that started the reset: with the session
 * cookie, a step is accepted only from that browser. `__Host-` behind HTTPS, as the session's.
 */
function cookieName(secure: boolean): string {
  return secure ? '__Host-reset' : 'reset';
}

export function setFlowCookie(reply: FastifyReply, token: string): void {
  const { config } = reply.server.ctx;
  reply.setCookie(cookieName(config.secureCookies), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.secureCookies,
    maxAge: RESET_FLOW_SECONDS,
  });
}

export function clearFlowCookie(reply: FastifyReply): void {
  const { config } = reply.server.ctx;
  reply.clearCookie(cookieName(config.secureCookies), { path: '/', secure: config.secureCookies, httpOnly: true, sameSite: 'strict' });
}

export async function createFlow(
  ctx: ServerContext,
  flow: { userId: string | null; sessionHash: string; methodsRequired: number },
): Promise<{ token: string; flow: ResetFlow }> {
  const now = ctx.clock.now();
  const token = randomToken();
  const row = {
    id_hash: sha256Hex(token),
    user_id: flow.userId,
    session_hash: flow.sessionHash,
    methods_required: flow.methodsRequired,
    proofs: '[]',
    created_at: now,
    expires_at: now + RESET_FLOW_SECONDS * 1000,
  };
  await ctx.db.insertInto('password_reset_flows').values(row).execute();
  return {
    token,
    flow: {
      idHash: row.id_hash,
      userId: row.user_id,
      sessionHash: row.session_hash,
      methodsRequired: row.methods_required,
      proofs: [],
      createdAt: now,
      expiresAt: row.expires_at,
    },
  };
}

/** The reset this browser started in this session, while it lasts; null otherwise. */
export async function loadFlow(ctx: ServerContext, req: FastifyRequest, session: SessionRecord | null): Promise<ResetFlow | null> {
  const token = req.cookies[cookieName(ctx.config.secureCookies)];
  if (!token || !session) return null;
  const row = await ctx.db.selectFrom('password_reset_flows').selectAll().where('id_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row || row.expires_at <= ctx.clock.now() || row.session_hash !== session.idHash) return null;
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    sessionHash: row.session_hash,
    methodsRequired: row.methods_required,
    proofs: proofsSchema.parse(JSON.parse(row.proofs)),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/**
 * Adds a proof, only if no other request changed the flow meanwhile (the update names the
 * proofs it read), so two proofs racing cannot both count as the same step.
 */
export async function addProof(ctx: ServerContext, flow: ResetFlow, proof: ResetProof): Promise<boolean> {
  const result = await ctx.db
    .updateTable('password_reset_flows')
    .set({ proofs: JSON.stringify([...flow.proofs, proof]) })
    .where('id_hash', '=', flow.idHash)
    .where('proofs', '=', JSON.stringify(flow.proofs))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteFlowsOf(db: Queryable, userId: string): Promise<void> {
  await db.deleteFrom('password_reset_flows').where('user_id', '=', userId).execute();
}

import type { Selectable } from 'kysely';
import type { ServerContext } from '../context.ts';
import type { SessionsTable } from '../storage/schema.ts';
import { unauthenticated } from '../api-error.ts';
import { randomToken, sha256Hex } from '../crypto/random.ts';

import type { SessionStage } from '../../../shared/endpoint.ts';

export type { SessionStage };

export interface SessionRecord {
  idHash: string;
  userId: string | null;
  csrfToken: string;
  stage: SessionStage;
  secondFactorAt: number | null;
  registrationReason: string | null;
  /** When the session completed a sign-in with a password and a second step (docs/reference.md#stronger-methods-first). */
  passwordSignInAt: number | null;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/**
 * Lifetimes (NIST SP 800-63B §7.2 for AAL2: re-authenticate at least every 12
 * hours and after 30 minutes of inactivity). A half-finished sign-in expires
 * sooner so a password alone does not keep a session alive.
 */
export const sessionLifetimes = {
  anonymousSeconds: 60 * 60,
  secondFactorSeconds: 10 * 60,
  registrationSeconds: 30 * 60,
  /** A password reset lasts 15 minutes from its start, whatever is done in it (docs/reference.md#self-service-password-reset). */
  passwordResetSeconds: 15 * 60,
  idleSeconds: 30 * 60,
  absoluteSeconds: 12 * 60 * 60,
} as const;

/** Writing last-seen on every request would turn every read into a write. */
const TOUCH_INTERVAL_MS = 60_000;

function expiryFor(stage: SessionStage, now: number, createdAt: number): number {
  const { anonymousSeconds, secondFactorSeconds, registrationSeconds, idleSeconds, absoluteSeconds, passwordResetSeconds } =
    sessionLifetimes;
  // A reset's session is not kept alive by use: it ends with the reset's own 15 minutes.
  if (stage === 'password_reset') return Math.min(createdAt + passwordResetSeconds * 1000, createdAt + absoluteSeconds * 1000);
  const seconds = {
    anonymous: anonymousSeconds,
    second_factor: secondFactorSeconds,
    registration: registrationSeconds,
    signed_in: idleSeconds,
    // An interruption like registration, and as long.
    password_change: registrationSeconds,
  }[stage];
  return Math.min(now + seconds * 1000, createdAt + absoluteSeconds * 1000);
}

type Row = Selectable<SessionsTable>;

function toRecord(row: Row): SessionRecord {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    stage: row.stage,
    secondFactorAt: row.second_factor_at,
    registrationReason: row.registration_reason,
    passwordSignInAt: row.password_sign_in_at,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

export async function createAnonymousSession(ctx: ServerContext): Promise<{ token: string; session: SessionRecord }> {
  const now = ctx.clock.now();
  const token = randomToken();
  const row: Row = {
    id_hash: sha256Hex(token),
    user_id: null,
    csrf_token: randomToken(),
    stage: 'anonymous',
    second_factor_at: null,
    registration_reason: null,
    created_at: now,
    last_seen_at: now,
    expires_at: expiryFor('anonymous', now, now),
    password_sign_in_at: null,
  };
  await ctx.db.insertInto('sessions').values(row).execute();
  return { token, session: toRecord(row) };
}

export async function loadSession(ctx: ServerContext, token: string): Promise<SessionRecord | null> {
  const now = ctx.clock.now();
  const row = await ctx.db.selectFrom('sessions').selectAll().where('id_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row) return null;
  if (row.expires_at <= now) {
    await ctx.db.deleteFrom('sessions').where('id_hash', '=', row.id_hash).execute();
    return null;
  }
  if (now - row.last_seen_at > TOUCH_INTERVAL_MS) {
    const expiresAt = expiryFor(row.stage, now, row.created_at);
    await ctx.db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id_hash', '=', row.id_hash).execute();
    return toRecord({ ...row, last_seen_at: now, expires_at: expiresAt });
  }
  return toRecord(row);
}

/**
 * Moves a session to its next sign-in stage under a NEW id and CSRF token
 * (OWASP ASVS 5.0 V7.2.4: regenerate the session token on authentication), so
 * an id planted before sign-in is useless after it.
 */
export async function advanceSession(
  ctx: ServerContext,
  current: SessionRecord,
  next: {
    userId: string;
    stage: SessionStage;
    secondFactorAt?: number | null;
    registrationReason?: string | null;
    /** Set when this step completes a sign-in with a password and a second step; otherwise kept for the same user. */
    passwordSignInAt?: number;
  },
): Promise<{ token: string; session: SessionRecord }> {
  const now = ctx.clock.now();
  const token = randomToken();
  const restart = current.userId !== next.userId;
  const createdAt = restart ? now : current.createdAt;
  const row: Row = {
    id_hash: sha256Hex(token),
    user_id: next.userId,
    csrf_token: randomToken(),
    stage: next.stage,
    second_factor_at: next.secondFactorAt === undefined ? (restart ? null : current.secondFactorAt) : next.secondFactorAt,
    registration_reason: next.registrationReason ?? null,
    created_at: createdAt,
    last_seen_at: now,
    expires_at: expiryFor(next.stage, now, createdAt),
    password_sign_in_at: next.passwordSignInAt ?? (restart ? null : current.passwordSignInAt),
  };
  // One statement: the row takes its new id in place, so the old id stops working the moment the new one
  // starts, with no transaction around a delete and an insert. A session ended meanwhile (signed out in
  // another tab, swept) is not brought back.
  const moved = await ctx.db.updateTable('sessions').set(row).where('id_hash', '=', current.idHash).executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw unauthenticated();
  return { token, session: toRecord(row) };
}

export async function destroySession(ctx: ServerContext, session: SessionRecord): Promise<void> {
  await ctx.db.deleteFrom('sessions').where('id_hash', '=', session.idHash).execute();
}

/** Records a second-factor proof made inside the session (e.g. by registering a method). */
export async function markSecondFactor(ctx: ServerContext, session: SessionRecord): Promise<void> {
  await ctx.db.updateTable('sessions').set({ second_factor_at: ctx.clock.now() }).where('id_hash', '=', session.idHash).execute();
}

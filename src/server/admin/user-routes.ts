import type { FastifyInstance } from 'fastify';
import { adminUsers as api } from '../../shared/api/index.ts';
import { registrationReasonSchema } from '../../shared/api/session.ts';
import { notFound } from '../core/api-error.ts';
import type { Actor } from '../core/auth/guards.ts';
import { recentActivityOf, toActivityEntry, writeVerificationLog } from '../core/audit/verification-log.ts';
import type { ServerContext } from '../core/context.ts';
import { route } from '../core/http/route.ts';
import { deadMailOf } from '../core/mail/queue-store.ts';
import { inTransaction, type TransactionContext } from '../core/transaction.ts';
import { clearNeedsReview } from '../core/report-link/store.ts';
import { notifyAdminAction, type AdminAccountAction } from '../core/notify/security-info-changed.ts';
import { deleteMethodsAddedBy, listMethods } from '../core/security-info/method-store.ts';
import { summarizeMethods } from '../core/security-info/summaries.ts';
import { displayName, findUserByUsername, type UserRow } from '../core/users/users.ts';
import {
  clearThrottleRowsOf,
  countAppPasswordsOf,
  countLiveSessionsOf,
  deleteSessionsOf,
  markForReregistration,
  requirePasswordChange,
  searchUsersByPrefix,
  throttleRowsOf,
} from './user-store.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const RECENT_ACTIVITY = 20;
const UNDELIVERED_NOTICES = 10;

async function subject(ctx: ServerContext, username: string): Promise<UserRow> {
  const user = await findUserByUsername(ctx, username);
  if (!user) throw notFound();
  return user;
}

/**
 * An administrator's action is logged twice: under the user it was done to (so their record and
 * their own activity show it) and under the administrator (so what an administrator did can be
 * read from theirs). The user is told by e-mail. All in the action's transaction.
 */
async function recordAdminAction(
  ctx: TransactionContext,
  actor: Actor,
  user: UserRow,
  event: string,
  notice: AdminAccountAction,
  clientIp: string,
): Promise<void> {
  await writeVerificationLog(ctx, { user, event: `admin.${event}`, authMode: 'none', result: 'success', clientIp });
  if (actor.user.id !== user.id) {
    await writeVerificationLog(ctx, { user: actor.user, event: `admin.${event}`, authMode: 'none', result: 'success', clientIp });
  }
  await notifyAdminAction(ctx, user, notice);
}

function lockoutOf(row: { key: string; failures: number; last_failure_at: number; blocked_until: number }, now: number) {
  const [prefix] = row.key.split(':');
  const ip = row.key.includes('|') ? row.key.slice(row.key.lastIndexOf('|') + 1) : null;
  return {
    scope:
      prefix === 'pw'
        ? ('password' as const)
        : prefix === 'legacy'
          ? ('legacy' as const)
          : prefix === 'recovery'
            ? ('recovery_code' as const)
            : ('authenticator_code' as const),
    clientIp: ip,
    failures: row.failures,
    lastFailureAt: iso(row.last_failure_at),
    blockedUntil: row.blocked_until > now ? iso(row.blocked_until) : null,
  };
}

export function adminUserRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.searchUsers, async ({ query }) => {
    const page = await searchUsersByPrefix(ctx, query);
    return {
      users: page.users.map((u) => ({ username: u.username, displayName: displayName(u), email: u.email, isAdmin: u.is_admin === 1 })),
      next: page.next,
      previous: page.previous,
    };
  });

  route(app, api.getAdminUser, async ({ params, policy }) => {
    const user = await subject(ctx, params.username);
    const now = ctx.clock.now();
    const [methods, throttles, activity, activeSessions, appPasswords, deadMail] = await Promise.all([
      listMethods(ctx, user.id),
      throttleRowsOf(ctx, user),
      recentActivityOf(ctx, user.id, RECENT_ACTIVITY),
      countLiveSessionsOf(ctx, user.id),
      countAppPasswordsOf(ctx, user.id),
      deadMailOf(ctx.db, user.id, UNDELIVERED_NOTICES),
    ]);
    return {
      user: {
        username: user.username,
        displayName: displayName(user),
        firstName: user.first_name,
        lastName: user.last_name,
        email: user.email,
        isAdmin: user.is_admin === 1,
        createdAt: iso(user.created_at),
        reregisterReason: registrationReasonSchema.safeParse(user.reregister_reason).data ?? null,
        needsReviewSince: user.needs_review_at === null ? null : iso(user.needs_review_at),
        passwordChangedAt: iso(user.password_changed_at ?? user.created_at),
        passwordChangeRequiredSince: user.password_change_required_at === null ? null : iso(user.password_change_required_at),
      },
      // As a sign-in prompt shows them: a phone's number masked.
      methods: await summarizeMethods(ctx, user, methods, policy, 'challenge'),
      lockouts: throttles.map((row) => lockoutOf(row, now)),
      activity: activity.map(toActivityEntry),
      activeSessions,
      appPasswords,
      undeliveredNotices: deadMail.map((m) => ({
        id: m.id,
        subject: m.subject,
        to: m.recipient,
        queuedAt: iso(m.created_at),
        gaveUpAt: iso(m.finished_at ?? m.created_at),
        attempts: m.attempts,
        reason: m.last_error ?? '',
      })),
    };
  });

  route(app, api.requireReregistration, async ({ actor, params, body, req }) => {
    const user = await subject(ctx, params.username);
    const now = ctx.clock.now();
    const deletedMethods = await inTransaction(ctx, async (tx) => {
      await markForReregistration(tx, user.id, now);
      const deleted = body.mode === 'now' ? await deleteMethodsAddedBy(tx.db, user.id, now) : 0;
      await recordAdminAction(
        tx,
        actor,
        user,
        body.mode === 'now' ? 'reregistration_required_now' : 'reregistration_required_after_verification',
        body.mode === 'now' ? 'admin_reregistration_now' : 'admin_reregistration_after_verification',
        req.ip,
      );
      return deleted;
    });
    return { deletedMethods };
  });

  // Sessions already signed in go on: the requirement takes effect at the next sign-in, as it says.
  route(app, api.requirePasswordChange, async ({ actor, params, req }) => {
    const user = await subject(ctx, params.username);
    await inTransaction(ctx, async (tx) => {
      await requirePasswordChange(tx, user.id, tx.clock.now());
      await recordAdminAction(tx, actor, user, 'password_change_required', 'admin_password_change_required', req.ip);
    });
    return { required: true as const };
  });

  route(app, api.revokeUserSessions, async ({ actor, params, req }) => {
    const user = await subject(ctx, params.username);
    const revoked = await inTransaction(ctx, async (tx) => {
      const count = await deleteSessionsOf(tx, user.id);
      await recordAdminAction(tx, actor, user, 'sessions_revoked', 'admin_sessions_revoked', req.ip);
      return count;
    });
    return { revoked };
  });

  route(app, api.clearNeedsReview, async ({ actor, params, req }) => {
    const user = await subject(ctx, params.username);
    const cleared = await inTransaction(ctx, async (tx) => {
      if (!(await clearNeedsReview(tx, user.id))) return false;
      // Logged under the user and the administrator; the user is not e-mailed: nothing about their sign-in changed.
      await writeVerificationLog(tx, { user, event: 'admin.review_cleared', authMode: 'none', result: 'success', clientIp: req.ip });
      if (actor.user.id !== user.id) {
        await writeVerificationLog(tx, {
          user: actor.user,
          event: 'admin.review_cleared',
          authMode: 'none',
          result: 'success',
          clientIp: req.ip,
        });
      }
      return true;
    });
    return { cleared };
  });

  route(app, api.unlockUser, async ({ actor, params, req }) => {
    const user = await subject(ctx, params.username);
    const cleared = await inTransaction(ctx, async (tx) => {
      const count = await clearThrottleRowsOf(tx, user);
      await recordAdminAction(tx, actor, user, 'unlocked', 'admin_unlocked', req.ip);
      return count;
    });
    return { cleared };
  });
}

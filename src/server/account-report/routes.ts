import type { FastifyInstance } from 'fastify';
import { reportLink as api } from '../../shared/api/index.ts';
import { ApiError } from '../core/api-error.ts';
import { writeVerificationLog } from '../core/audit/verification-log.ts';
import { clearSessionCookie } from '../core/auth/session-cookie.ts';
import { route } from '../core/http/route.ts';
import { notifyAccountSecured } from '../core/notify/security-info-changed.ts';
import { claimReportLink, markNeedsReview } from '../core/report-link/store.ts';
import { readReportToken } from '../core/report-link/token.ts';
import { inTransaction } from '../core/transaction.ts';
import { getUserIfExists } from '../core/users/users.ts';
import { deleteAllAppPasswordsOf } from '../methods/app-passwords/store.ts';
import { deleteSessionsOf } from '../admin/user-store.ts';

/**
 * "This wasn't me" (docs/reference.md#this-wasnt-me). In the app layer because
 * it reaches into app passwords as well as the core. A bad signature, an
 * expired link, a used one and an unknown user all get the same neutral answer.
 */
export function accountReportRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.reportNotMe, async ({ body, req, reply }) => {
    const link = readReportToken(ctx, body.token);
    const user = link ? await getUserIfExists(ctx, link.userId) : undefined;
    if (!link || !user) throw new ApiError(400, 'report_link_not_valid');
    const done = await inTransaction(ctx, async (tx) => {
      // Single use: only the request that writes the nonce's row goes on, even when two arrive together.
      if (!(await claimReportLink(tx, link))) return null;
      const sessionsRevoked = await deleteSessionsOf(tx, user.id);
      const appPasswordsDeleted = await deleteAllAppPasswordsOf(tx, user.id);
      await markNeedsReview(tx, user.id, ctx.clock.now());
      await writeVerificationLog(tx, { user, event: 'account.reported_not_me', authMode: 'none', result: 'success', clientIp: req.ip });
      await notifyAccountSecured(tx, user);
      return { sessionsRevoked, appPasswordsDeleted };
    });
    if (!done) throw new ApiError(400, 'report_link_not_valid');
    // This browser's session (if it was the user's) is gone with the rest.
    clearSessionCookie(reply);
    return done;
  });
}

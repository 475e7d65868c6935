import type { FastifyInstance } from 'fastify';
import { temporaryAccessPass as api } from '../../../shared/api/index.ts';
import { notFound } from '../api-error.ts';
import { completeSecondFactor, verificationEvent } from '../auth/second-factor.ts';
import { route } from '../http/route.ts';
import { activePass, issuePass, revokePass, usePass } from '../temporary-access-pass/service.ts';
import { findUserByUsername } from '../users/users.ts';

/** Administrators issue, read and revoke passes; a user types one at the second step (or to verify again). */
export function temporaryAccessPassRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  const userNamed = async (username: string) => {
    const user = await findUserByUsername(ctx, username);
    if (!user) throw notFound();
    return user;
  };

  route(app, api.issueTemporaryAccessPass, async ({ policy, params, body, req }) =>
    issuePass(ctx, policy, await userNamed(params.username), { ...body, clientIp: req.ip }),
  );

  route(app, api.getTemporaryAccessPass, async ({ params }) => ({ active: await activePass(ctx, (await userNamed(params.username)).id) }));

  route(app, api.revokeTemporaryAccessPass, async ({ params, req }) => {
    await revokePass(ctx, await userNamed(params.username), req.ip);
    return { ok: true as const };
  });

  route(app, api.verifyTemporaryAccessPass, async ({ actor, policy, body, req, reply }) => {
    const event = verificationEvent(actor.session.stage);
    await usePass(ctx, policy, actor.user, { pass: body.pass, event, clientIp: req.ip });
    // No method proved the user; with none usable, this leads straight into registration.
    return completeSecondFactor(ctx, reply, actor, policy, null);
  });
}

import type { FastifyInstance } from 'fastify';
import { appPasswords as api, usernameSchema } from '../../../shared/api/index.ts';
import { ApiError, tooManyAttempts } from '../../core/api-error.ts';
import { route } from '../../core/http/route.ts';
import { displayName } from '../../core/users/users.ts';
import { parseBasicAuth } from './basic-auth.ts';
import { APP_PASSWORD_REQUIRED_CODE, legacyState, verifyLegacySignIn } from './legacy-sign-in.ts';

const CHALLENGE = { 'www-authenticate': 'Basic realm="Security Info legacy sign-in", charset="UTF-8"' };

export function legacyRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  legacyState(ctx);

  // Legacy clients poll: one info line per request would cost a tenth of the work; debug shows them.
  // The answer is a name and a display name, never near the 1 KB from which answers are compressed.
  route(
    app,
    api.legacyWhoAmI,
    async ({ req }) => {
      const credentials = parseBasicAuth(req.headers.authorization);
      if (credentials === 'missing') throw new ApiError(401, 'unauthenticated', {}, CHALLENGE);
      if (credentials === 'malformed') throw new ApiError(400, 'invalid_input', {}, CHALLENGE);

      // The user name a client sends is user text like any other, checked and normalised by the same schema.
      const username = usernameSchema.safeParse(credentials.username);
      if (!username.success) throw new ApiError(400, 'invalid_text', {}, CHALLENGE);
      const result = await verifyLegacySignIn(ctx, { username: username.data, password: credentials.password, clientIp: req.ip });
      if (result.outcome === 'throttled') throw tooManyAttempts(result.retryAfterSeconds);
      if (result.outcome === 'denied') {
        const data = result.reason === 'app_password_required' ? { legacyCode: APP_PASSWORD_REQUIRED_CODE } : {};
        throw new ApiError(401, result.reason, data, CHALLENGE);
      }
      return { username: result.user.username, displayName: displayName(result.user) };
    },
    { debugRequestLog: true, neverCompressed: true },
  );
}

import type { FastifyInstance } from 'fastify';
import { appPasswords as api } from '../../../shared/api/index.ts';
import { route, validatePart } from '../../core/http/route.ts';
import { APP_PASSWORD_REQUIRED_CODE, legacyState, verifyLegacySignIn } from './legacy-sign-in.ts';
import { mailAuthCallerCheck } from './mail-auth-caller.ts';
import {
  decodeNginxEscaped,
  nginxAnswerFor,
  nginxAuthHeadersSchema,
  noBackendAnswer,
  unsupportedMethodAnswer,
  type NginxAnswer,
} from './nginx-mail-auth.ts';

/**
 * The mail servers' way in to the app-password check (docs/reference.md#mail-servers):
 * nginx's mail proxy (`auth_http`) and Dovecot's checkpassword helper. Both
 * only translate the shared verification into their protocol.
 */
export function mailAuthRoutes(app: FastifyInstance): void {
  const { ctx } = app;
  const checkCaller = mailAuthCallerCheck(ctx);
  legacyState(ctx);

  route(app, api.nginxMailAuth, async ({ req, reply }) => {
    checkCaller(req);
    const request = validatePart(nginxAuthHeadersSchema, req.headers, 'headers');
    const answer = (headers: NginxAnswer) => {
      reply.headers(headers);
      return {};
    };
    const backend = ctx.config.mail.backends[request['auth-protocol']];
    if (!backend) {
      req.log.error({ protocol: request['auth-protocol'] }, 'nginx asked about a protocol without a MAIL_BACKEND_* address');
      return answer(noBackendAnswer());
    }
    // nginx says "plain" for LOGIN and PLAIN alike; APOP, CRAM-MD5 and the rest need the password in the clear here.
    if (request['auth-method'] !== 'plain') return answer(unsupportedMethodAnswer());

    const result = await verifyLegacySignIn(ctx, {
      username: decodeNginxEscaped(request['auth-user']),
      password: decodeNginxEscaped(request['auth-pass']),
      clientIp: request['client-ip'],
    });
    return answer(nginxAnswerFor(result, request, backend));
  });

  route(app, api.mailAuthCheck, async ({ req, body }) => {
    checkCaller(req);
    const result = await verifyLegacySignIn(ctx, { username: body.username, password: body.password, clientIp: body.clientIp ?? req.ip });
    switch (result.outcome) {
      case 'success':
        return { result: 'ok' as const, username: result.user.username };
      case 'throttled':
        return {
          result: 'denied' as const,
          code: 'too_many_attempts' as const,
          retryAfterSeconds: Math.max(1, Math.ceil(result.retryAfterSeconds)),
        };
      case 'denied':
        return {
          result: 'denied' as const,
          code: result.reason,
          ...(result.reason === 'app_password_required' ? { legacyCode: APP_PASSWORD_REQUIRED_CODE } : {}),
        };
    }
  });
}

import type { FastifyInstance } from 'fastify';
import { adminLog as api } from '../../shared/api/index.ts';
import { encodeLogCursor, logFilterSchema, type LogRecord } from '../../shared/api/admin-log.ts';
import { guard } from '../core/auth/guards.ts';
import { route, validatePart } from '../core/http/route.ts';
import { verificationLogCsvStream } from './verification-log-csv.ts';
import { logRecordsFrom, type LogRow } from './verification-log-store.ts';

function toRecord(row: LogRow): LogRecord {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    deviceToken: row.device_token,
    authMode: row.auth_mode,
    event: row.event,
    result: row.result === 'success' ? 'success' : 'denied',
    denialReason: row.denial_reason,
    serverName: row.server_name,
    serverIp: row.server_ip,
    clientIp: row.client_ip,
  };
}

export function verificationLogRoutes(app: FastifyInstance): void {
  const { ctx } = app;

  route(app, api.getVerificationLog, async ({ query }) => {
    const { cursor, limit, ...filter } = query;
    // One more than asked says whether there is a further page in the direction read.
    const rows = await logRecordsFrom(ctx, filter, cursor, limit + 1);
    const newer = cursor?.direction === 'newer';
    const more = rows.length > limit;
    const page = more ? (newer ? rows.slice(1) : rows.slice(0, limit)) : rows;
    const first = page[0];
    const last = page[page.length - 1];
    const olderExists = newer ? true : more;
    const newerExists = newer ? more : cursor !== undefined;
    return {
      entries: page.map(toRecord),
      older: olderExists && last ? encodeLogCursor({ at: last.at, id: last.id, direction: 'older' }) : null,
      newer: newerExists && first ? encodeLogCursor({ at: first.at, id: first.id, direction: 'newer' }) : null,
    };
  });

  // Not through route(): that parses a JSON answer. The same guard and query schema apply; a GET needs no CSRF token.
  app.get(api.exportVerificationLog.path, async (req, reply) => {
    const filter = validatePart(logFilterSchema, req.query, 'query');
    await guard(ctx, req.session, api.exportVerificationLog.guard);
    const stopped = new AbortController();
    // The response closes when sent or when the client goes away; either way no further query is wanted.
    reply.raw.on('close', () => stopped.abort());
    const date = new Date(ctx.clock.now()).toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="verification-log-${date}.csv"`)
      .send(verificationLogCsvStream(ctx, filter, stopped.signal));
  });
}

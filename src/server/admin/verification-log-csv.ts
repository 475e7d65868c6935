import { Readable } from 'node:stream';
import { logCsvColumns, type LogFilter } from '../../shared/api/admin-log.ts';
import type { ServerContext } from '../core/context.ts';
import { csvRow, UTF8_BOM } from './csv.ts';
import { logRecordPages, type LogRow } from './verification-log-store.ts';

/** Rows per query while exporting: large enough that queries are few, small enough that memory stays flat. */
export const EXPORT_PAGE_SIZE = 1000;

/** One record as a CSV line, in the order of `logCsvColumns`. */
function csvLine(row: LogRow): string {
  return csvRow([
    row.id,
    new Date(row.at).toISOString(),
    row.username,
    row.first_name,
    row.last_name,
    row.email,
    row.phone,
    row.device_token,
    row.auth_mode,
    row.event,
    row.result,
    row.denial_reason,
    row.server_name,
    row.server_ip,
    row.client_ip,
  ]);
}

/** The CSV file, a page of records per chunk. */
export async function* verificationLogCsv(
  ctx: Pick<ServerContext, 'db'>,
  filter: LogFilter,
  signal: AbortSignal,
  pageSize = EXPORT_PAGE_SIZE,
) {
  yield UTF8_BOM + csvRow(logCsvColumns);
  for await (const rows of logRecordPages(ctx, filter, pageSize, signal)) {
    let chunk = '';
    for (const row of rows) chunk += csvLine(row);
    yield chunk;
  }
}

/**
 * The CSV file as a stream for the response. Pulled by the reader, so a slow reader holds back
 * the queries (backpressure). At most one page is read ahead: Readable.from's default would
 * buffer sixteen (16 pages of text held per export while the client catches up).
 */
export function verificationLogCsvStream(
  ctx: Pick<ServerContext, 'db'>,
  filter: LogFilter,
  signal: AbortSignal,
  pageSize = EXPORT_PAGE_SIZE,
): Readable {
  return Readable.from(verificationLogCsv(ctx, filter, signal, pageSize), { highWaterMark: 1 });
}

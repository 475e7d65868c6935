import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { decodeBase32Secret } from '../otp.ts';
import { emptyToNull, normalizeSerial, TOKEN_PERIODS, type ParsedFile, type ParsedToken } from './parsed-token.ts';

/** The header of the reference product's token file (docs/reference.md#hardware-tokens). */
export const CSV_HEADER = ['upn', 'serial number', 'secret key', 'time interval', 'manufacturer', 'model'] as const;

/**
 * Reads a token CSV: UTF-8 with or without BOM, CRLF or LF, quoted fields (RFC 4180). Every
 * token is TOTP, SHA-1, 6 digits, as the format carries nothing else. Problems are reported
 * per line; the file's tokens are checked against the database afterwards.
 */
export function parseTokenCsv(content: string): ParsedFile {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, each record comes with where it ends in the file; the library's types omit that shape.
    records = parse(content, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      return { tokens: [], problems: [{ reason: 'malformed_file', ...(typeof error.lines === 'number' ? { line: error.lines } : {}) }] };
    }
    throw error;
  }
  const [header, ...rows] = records;
  const names = header?.record.map((n) => n.toLowerCase());
  if (!names || CSV_HEADER.some((name, i) => names[i] !== name)) {
    return { tokens: [], problems: [{ reason: 'missing_header', line: 1 }] };
  }
  const file: ParsedFile = { tokens: [], problems: [] };
  for (const { record, info } of rows) {
    const line = info.lines;
    const [upn, serial, secretText, interval, manufacturer, model] = record;
    const serialValue = normalizeSerial(serial ?? '');
    const fail = (reason: ParsedFile['problems'][number]['reason']) =>
      file.problems.push({ line, reason, ...(serialValue ? { serial: serialValue } : {}) });
    if (!serialValue || !secretText || !interval) {
      fail('missing_field');
      continue;
    }
    const secret = decodeBase32Secret(secretText);
    if (!secret) {
      fail('bad_base32');
      continue;
    }
    const period = Number(interval);
    if (!TOKEN_PERIODS.some((p) => p === period)) {
      fail('bad_interval');
      continue;
    }
    const token: ParsedToken = {
      serial: serialValue,
      secret,
      kind: 'totp',
      algorithm: 'SHA1',
      digits: 6,
      period,
      counter: 0,
      manufacturer: emptyToNull(manufacturer),
      model: emptyToNull(model),
      upn: emptyToNull(upn),
      where: { line },
    };
    file.tokens.push(token);
  }
  return file;
}

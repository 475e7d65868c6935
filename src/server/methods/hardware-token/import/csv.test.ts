import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenCsv } from './csv.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const seed = new TextEncoder().encode('12345678901234567890');
const header = 'upn,serial number,secret key,time interval,manufacturer,model';

describe('token CSV', () => {
  it('reads quoted fields, a BOM, CRLF line ends and an empty user', () => {
    const { tokens, problems } = parseTokenCsv(fixture('tokens.csv'));
    expect(problems).toEqual([]);
    expect(tokens).toEqual([
      expect.objectContaining({
        serial: 'CSV-0001',
        upn: 'ada',
        period: 30,
        manufacturer: 'Contoso',
        model: 'Fob, model 1',
        where: { line: 2 },
      }),
      expect.objectContaining({
        serial: 'CSV-0002',
        upn: null,
        period: 60,
        manufacturer: 'Contoso "Pro"',
        model: 'Card',
        where: { line: 3 },
      }),
    ]);
    expect(tokens.map((t) => t.secret)).toEqual([seed, seed]);
    expect(tokens.every((t) => t.kind === 'totp' && t.algorithm === 'SHA1' && t.digits === 6)).toBe(true);
  });

  it('reads LF line ends without a BOM the same way', () => {
    const lf = fixture('tokens.csv')
      .replace(/^\uFEFF/, '')
      .replace(/\r\n/g, '\n');
    expect(parseTokenCsv(lf).tokens.map((t) => t.serial)).toEqual(['CSV-0001', 'CSV-0002']);
  });

  it('names each bad line and why', () => {
    const csv = [
      header,
      'ada,A1,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,,',
      'ada,A2,not base32!,30,,',
      'ada,A3,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,45,,',
      'ada,,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,,',
    ].join('\n');
    expect(parseTokenCsv(csv).problems).toEqual([
      { line: 3, serial: 'A2', reason: 'bad_base32' },
      { line: 4, serial: 'A3', reason: 'bad_interval' },
      { line: 5, reason: 'missing_field' },
    ]);
  });

  it('refuses a file without the header, and an unclosed quote', () => {
    expect(parseTokenCsv('serial,secret\nA1,GEZD').problems).toEqual([{ line: 1, reason: 'missing_header' }]);
    expect(parseTokenCsv(`${header}\nada,"A1,GEZD`).problems).toEqual([expect.objectContaining({ reason: 'malformed_file' })]);
  });
});

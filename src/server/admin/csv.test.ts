import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, UTF8_BOM } from './csv.ts';
import { prefixRange } from './verification-log-store.ts';

describe('the CSV writer', () => {
  it('leaves plain fields alone and writes null as an empty field', () => {
    expect(csvRow(['ada', null, '192.0.2.1'])).toBe('ada,,192.0.2.1\r\n');
  });

  it('quotes fields with commas, quotes, CR or LF (RFC 4180), doubling the quotes', () => {
    expect(csvCell('Smith, John')).toBe('"Smith, John"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('a\rb')).toBe('"a\rb"');
  });

  it.each(['=', '+', '-', '@', '\t', '\r'])('defuses a cell beginning with %j so a spreadsheet does not run it', (lead) => {
    const cell = csvCell(`${lead}SUM(A1:A9)`);
    expect(cell.replace(/^"/, '').startsWith(`'${lead}`)).toBe(true);
    expect(csvCell(`x${lead}1`)).not.toContain("'");
  });

  it('keeps a defused cell quoted when it also needs quotes', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell('\r\n=1')).toBe('"\'\r\n=1"');
  });

  it('keeps non-ASCII names intact, and the BOM marks the file as UTF-8', () => {
    expect(csvRow(['Zoë', 'Łukasiewicz-Żółć', '李小龍', '😀'])).toBe('Zoë,Łukasiewicz-Żółć,李小龍,😀\r\n');
    expect(Buffer.from(UTF8_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('a user-name prefix as a range', () => {
  it('ends just past every string that starts with the prefix', () => {
    expect(prefixRange('ann')).toEqual({ from: 'ann', before: 'ano' });
    expect(prefixRange('a\u{10FFFF}')).toEqual({ from: 'a\u{10FFFF}', before: 'b' });
    expect(prefixRange('a\uD7FF').before).toBe('a\uE000');
  });
});

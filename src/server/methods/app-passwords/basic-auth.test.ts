import { describe, expect, it } from 'vitest';
import { parseBasicAuth } from './basic-auth.ts';

const basic = (s: string) => `Basic ${Buffer.from(s, 'utf8').toString('base64')}`;

describe('parseBasicAuth (RFC 7617)', () => {
  it('splits at the first colon, so passwords may contain colons', () => {
    expect(parseBasicAuth(basic('ada:abcd efgh:ijkl'))).toEqual({ username: 'ada', password: 'abcd efgh:ijkl' });
  });
  it('decodes UTF-8 and accepts any case of the scheme', () => {
    expect(parseBasicAuth(basic('zażółć:pass').replace('Basic', 'basic'))).toEqual({ username: 'zażółć', password: 'pass' });
  });
  it('tells a missing header from a malformed one', () => {
    expect(parseBasicAuth(undefined)).toBe('missing');
    expect(parseBasicAuth('')).toBe('missing');
    for (const bad of [
      'Bearer abc',
      'Basic',
      'Basic !!!!',
      'Basic abc',
      basic('no-colon'),
      basic(':only-password'),
      basic('user:'),
      basic('a:b\u0000c'),
      `Basic ${'A'.repeat(2000)}`,
    ]) {
      expect(parseBasicAuth(bad), bad.slice(0, 30)).toBe('malformed');
    }
  });
});

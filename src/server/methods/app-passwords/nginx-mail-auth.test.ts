import { describe, expect, it } from 'vitest';
import { decodeNginxEscaped } from './nginx-mail-auth.ts';

describe('decodeNginxEscaped', () => {
  it('undoes what nginx escapes in Auth-User and Auth-Pass, and nothing else', () => {
    expect(decodeNginxEscaped('abcd%20efgh%20ijkl')).toBe('abcd efgh ijkl');
    expect(decodeNginxEscaped('100%25')).toBe('100%');
    expect(decodeNginxEscaped('a+b')).toBe('a+b');
    expect(decodeNginxEscaped('za%C5%BC%C3%B3%C5%82%C4%87')).toBe('zażółć');
  });

  it('leaves a stray or broken escape as it is', () => {
    expect(decodeNginxEscaped('50%')).toBe('50%');
    expect(decodeNginxEscaped('%zz%4')).toBe('%zz%4');
    expect(decodeNginxEscaped('%FF')).toBe('\uFFFD');
  });
});

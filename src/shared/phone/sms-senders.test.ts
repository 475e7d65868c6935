import { describe, expect, it } from 'vitest';
import { SMS_SENDERS_BY_COUNTRY, expectedSmsSenders } from './sms-senders.ts';

describe('expectedSmsSenders', () => {
  it('lists the United States short codes', () => {
    expect(expectedSmsSenders('US')).toEqual(['97671', '69829', '51789', '99399']);
  });

  it('lists the Canadian short codes', () => {
    expect(expectedSmsSenders('CA')).toEqual(['759731', '673801']);
  });

  it('accepts any letter case and stray spaces', () => {
    expect(expectedSmsSenders(' us ')).toEqual(expectedSmsSenders('US'));
  });

  it('has no fixed sender anywhere else', () => {
    for (const country of ['PL', 'GB', 'IN', 'DE', 'MX', '', 'XX']) expect(expectedSmsSenders(country)).toEqual([]);
  });

  it('never answers from Object.prototype', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(expectedSmsSenders(key)).toEqual([]);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(SMS_SENDERS_BY_COUNTRY)).toBe(true);
    expect(Object.isFrozen(expectedSmsSenders('US'))).toBe(true);
    expect(Object.isFrozen(expectedSmsSenders('PL'))).toBe(true);
  });

  it('holds only upper-case alpha-2 keys and digit-only short codes', () => {
    for (const [country, senders] of Object.entries(SMS_SENDERS_BY_COUNTRY)) {
      expect(country).toMatch(/^[A-Z]{2}$/);
      for (const sender of senders) expect(sender).toMatch(/^[0-9]{5,6}$/);
    }
  });
});

import { getExampleNumber } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { formatPhoneNumber, maskPhoneNumber, parsePhoneInput } from './phone-number.ts';

// Numbers are libphonenumber's own example numbers or fictional ranges
// (NANP 555-01xx, Ofcom's 020 7946 0xxx drama range).
describe('parsePhoneInput', () => {
  const countries: { country: CountryCode; national: string; international: string; e164: string; type: string }[] = [
    { country: 'PL', national: '601-234-789', international: '+48 601 234 789', e164: '+48601234789', type: 'MOBILE' },
    { country: 'US', national: '(201) 555-0123', international: '+1 201 555 0123', e164: '+12015550123', type: 'FIXED_LINE_OR_MOBILE' },
    { country: 'CA', national: '613-555-0143', international: '+1 (613) 555-0143', e164: '+16135550143', type: 'FIXED_LINE_OR_MOBILE' },
    { country: 'GB', national: '07400 123456', international: '+44 7400 123456', e164: '+447400123456', type: 'MOBILE' },
    { country: 'IN', national: '081234 56789', international: '+91 81234 56789', e164: '+918123456789', type: 'MOBILE' },
    { country: 'DE', national: '01512 3456789', international: '+49 1512 3456789', e164: '+4915123456789', type: 'MOBILE' },
    { country: 'FR', national: '06 12 34 56 78', international: '+33 6 12 34 56 78', e164: '+33612345678', type: 'MOBILE' },
    { country: 'JP', national: '090-1234-5678', international: '+81 90 1234 5678', e164: '+819012345678', type: 'MOBILE' },
    { country: 'BR', national: '(11) 96123-4567', international: '+55 11 96123 4567', e164: '+5511961234567', type: 'MOBILE' },
    { country: 'AU', national: '0412 345 678', international: '+61 412 345 678', e164: '+61412345678', type: 'MOBILE' },
  ];

  for (const { country, national, international, e164, type } of countries) {
    it(`reads ${country} numbers in national and international notation`, () => {
      const expected = { ok: true, e164, country, type };
      expect(parsePhoneInput(national, country)).toEqual(expected);
      // The calling code wins over whatever country was picked.
      expect(parsePhoneInput(international, country === 'PL' ? 'US' : 'PL')).toEqual(expected);
    });
  }

  it("reads every tested country's example mobile number back to the same E.164", () => {
    for (const { country } of countries) {
      const example = getExampleNumber(country, examples);
      if (!example) throw new Error(`no example number for ${country}`);
      expect(parsePhoneInput(example.formatNational(), country)).toMatchObject({ ok: true, e164: example.number });
      expect(parsePhoneInput(example.formatInternational(), 'PL')).toMatchObject({ ok: true, e164: example.number });
    }
  });

  it('reads a leading 00 as the international prefix, even where 011 is dialled', () => {
    expect(parsePhoneInput('0044 20 7946 0958', 'US')).toEqual({ ok: true, e164: '+442079460958', country: 'GB', type: 'FIXED_LINE' });
    expect(parsePhoneInput('011 44 20 7946 0958', 'US')).toMatchObject({ ok: true, e164: '+442079460958' });
  });

  it('detects the region behind a shared calling code', () => {
    expect(parsePhoneInput('+1 416 234 5678', 'US')).toMatchObject({ ok: true, country: 'CA' });
    expect(parsePhoneInput('+44 7624 123456', 'GB')).toMatchObject({ ok: true, country: 'IM' });
  });

  it('accepts the picked country in any letter case', () => {
    expect(parsePhoneInput('601 234 789', 'pl')).toMatchObject({ ok: true, e164: '+48601234789' });
  });

  describe('extensions', () => {
    it('takes the extension field', () => {
      expect(parsePhoneInput('(201) 555-0123', 'US', '45')).toEqual({
        ok: true,
        e164: '+12015550123',
        country: 'US',
        extension: '45',
        type: 'FIXED_LINE_OR_MOBILE',
      });
    });

    it('ignores an empty extension field', () => {
      expect(parsePhoneInput('(201) 555-0123', 'US', '  ')).not.toHaveProperty('extension');
    });

    it('picks up an extension typed inside the number', () => {
      for (const input of ['+1 201 555 0123 ext. 123', '201-555-0123 x123', '201 555 0123 #123']) {
        expect(parsePhoneInput(input, 'US')).toMatchObject({ ok: true, e164: '+12015550123', extension: '123' });
      }
    });

    it('accepts the same extension typed in both places', () => {
      expect(parsePhoneInput('201 555 0123 ext. 7', 'US', '7')).toMatchObject({ ok: true, extension: '7' });
    });

    it('refuses extensions that are not 1 to 10 digits, or that contradict each other', () => {
      expect(parsePhoneInput('201 555 0123', 'US', '12a')).toEqual({ ok: false, reason: 'invalid_extension' });
      expect(parsePhoneInput('201 555 0123', 'US', '12345678901')).toEqual({ ok: false, reason: 'invalid_extension' });
      expect(parsePhoneInput('201 555 0123 ext. 12345678901', 'US')).toEqual({ ok: false, reason: 'invalid_extension' });
      expect(parsePhoneInput('201 555 0123 x 45', 'US', '46')).toEqual({ ok: false, reason: 'invalid_extension' });
      expect(parsePhoneInput('201 555 0123', 'US', '1234567890')).toMatchObject({ ok: true, extension: '1234567890' });
    });
  });

  describe('refusals', () => {
    it.each([
      ['too short', '12', 'PL', 'too_short'],
      ['too short, international', '+1 201 555 012', 'PL', 'too_short'],
      ['too long', '+1 201 555 01234', 'US', 'too_long'],
      ['longer than E.164 allows', '1234567890123456789', 'PL', 'too_long'],
      ['absurdly long input', '1'.repeat(500), 'PL', 'too_long'],
      ['letters', 'call me maybe', 'PL', 'not_a_number'],
      ['a trailing letter', '601 234 78x', 'PL', 'not_a_number'],
      ['vanity letters', '1-800-FLOWERS', 'US', 'not_a_number'],
      ['empty input', '   ', 'PL', 'not_a_number'],
      ['an unknown calling code', '+999 1234567', 'PL', 'invalid_country'],
      ['an unknown picked country', '601 234 789', 'ZZ', 'invalid_country'],
      ['a non-geographic number', '+800 1234 5678', 'US', 'invalid_country'],
      ['a number no operator uses', '+48 601 234 78', 'PL', 'invalid_number'],
      ['a UK VoIP number (056)', '056 1234 5678', 'GB', 'voip_not_allowed'],
      ['a UK VoIP number, international', '+44 56 1234 5678', 'US', 'voip_not_allowed'],
      ['a UK premium-rate number', '0909 876 5432', 'GB', 'invalid_number'],
      ['a US premium-rate number', '+1 900 234 5678', 'US', 'invalid_number'],
      ['a UK universal access number', '055 1234 5678', 'GB', 'invalid_number'],
    ] as const)('refuses %s', (_label, input, country, reason) => {
      expect(parsePhoneInput(input, country)).toEqual({ ok: false, reason });
    });

    it('lets an international number through even if the picked country is unknown', () => {
      expect(parsePhoneInput('+48 601 234 789', 'ZZ')).toMatchObject({ ok: true, country: 'PL' });
    });

    it('keeps toll-free numbers, which are billed to their owner', () => {
      expect(parsePhoneInput('0800 123 4567', 'GB')).toMatchObject({ ok: true, type: 'TOLL_FREE' });
    });
  });
});

describe('formatPhoneNumber', () => {
  it.each([
    ['+48601234789', '+48 601 234 789'],
    ['+12015550123', '+1 201 555 0123'],
    ['+16135550143', '+1 613 555 0143'],
    ['+442079460958', '+44 20 7946 0958'],
    ['+918123456789', '+91 81234 56789'],
    ['+4915123456789', '+49 1512 3456789'],
    ['+33612345678', '+33 6 12 34 56 78'],
    ['+819012345678', '+81 90 1234 5678'],
    ['+5511961234567', '+55 11 96123 4567'],
    ['+61412345678', '+61 412 345 678'],
  ])('formats %s as %s', (e164, display) => {
    expect(formatPhoneNumber(e164)).toBe(display);
  });

  it('appends the extension', () => {
    expect(formatPhoneNumber('+12015550123', '123')).toBe('+1 201 555 0123 ext. 123');
  });

  it('shows a value it cannot parse as it is', () => {
    expect(formatPhoneNumber('+999123')).toBe('+999123');
  });
});

describe('maskPhoneNumber', () => {
  it.each([
    ['+48601234789', '+48 ••• ••• 789'],
    ['+12015550123', '+1 ••• ••• •123'],
    ['+16135550143', '+1 ••• ••• •143'],
    ['+442079460958', '+44 •• •••• •958'],
    ['+447400123456', '+44 •••• •••456'],
    ['+918123456789', '+91 ••••• ••789'],
    ['+4915123456789', '+49 •••• ••••789'],
    ['+33612345678', '+33 • •• •• •6 78'],
    ['+819012345678', '+81 •• •••• •678'],
    ['+5511961234567', '+55 •• ••••• •567'],
    ['+61412345678', '+61 ••• ••• 678'],
  ])('masks %s as %s', (e164, masked) => {
    expect(maskPhoneNumber(e164)).toBe(masked);
  });

  it('still hides all but the last digits of a value it cannot parse', () => {
    expect(maskPhoneNumber('+999123')).toBe('+•••123');
  });
});

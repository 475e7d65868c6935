import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { generateTotpSecret, matchTotpStep, totpCode, totpStep, totpUri, type TotpAlgorithm } from './totp.ts';

// RFC 6238 Appendix B: the seeds are ASCII digits of the hash's block length.
const seeds: Record<TotpAlgorithm, string> = {
  SHA1: Secret.fromLatin1('12345678901234567890').base32,
  SHA256: Secret.fromLatin1('12345678901234567890123456789012').base32,
  SHA512: Secret.fromLatin1('1234567890123456789012345678901234567890123456789012345678901234').base32,
};

const vectors: Array<[number, TotpAlgorithm, string]> = [
  [59, 'SHA1', '94287082'],
  [59, 'SHA256', '46119246'],
  [59, 'SHA512', '90693936'],
  [1111111109, 'SHA1', '07081804'],
  [1111111109, 'SHA256', '68084774'],
  [1111111109, 'SHA512', '25091201'],
  [1111111111, 'SHA1', '14050471'],
  [1111111111, 'SHA256', '67062674'],
  [1111111111, 'SHA512', '99943326'],
  [1234567890, 'SHA1', '89005924'],
  [1234567890, 'SHA256', '91819424'],
  [1234567890, 'SHA512', '93441116'],
  [2000000000, 'SHA1', '69279037'],
  [2000000000, 'SHA256', '90698825'],
  [2000000000, 'SHA512', '38618901'],
  [20000000000, 'SHA1', '65353130'],
  [20000000000, 'SHA256', '77737706'],
  [20000000000, 'SHA512', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(vectors)('at T=%i with %s gives %s (Appendix B)', (seconds, algorithm, expected) => {
    const params = { algorithm, digits: 8, period: 30 };
    expect(totpCode(seeds[algorithm], seconds * 1000, params)).toBe(expected);
    expect(matchTotpStep(seeds[algorithm], expected, seconds * 1000, params)).toBe(Math.floor(seconds / 30));
  });

  const secret = generateTotpSecret();
  const now = Date.UTC(2026, 10, 25, 12, 0, 10);

  it('issues 160-bit secrets, different every time', () => {
    expect(Secret.fromBase32(secret).bytes.length).toBe(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it('accepts one step of drift either side and reports the step that matched', () => {
    const step = totpStep(now);
    expect(matchTotpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
  });

  it('refuses codes two steps away, wrong codes and malformed input', () => {
    expect(matchTotpStep(secret, totpCode(secret, now - 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, now + 60_000), now)).toBeNull();
    const wrong = String((Number(totpCode(secret, now)) + 1) % 1_000_000).padStart(6, '0');
    expect(matchTotpStep(secret, wrong, now)).toBeNull();
    expect(matchTotpStep(secret, '12345', now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });

  it('returns the same step for a replayed code, so the caller can refuse it', () => {
    const code = totpCode(secret, now);
    expect(matchTotpStep(secret, code, now)).toBe(matchTotpStep(secret, code, now + 5_000));
  });

  it('writes issuer and account name into the otpauth URI', () => {
    const uri = new URL(totpUri({ secretBase32: secret, issuer: 'Contoso', accountName: 'ada@contoso' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Contoso:ada@contoso');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Contoso');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});

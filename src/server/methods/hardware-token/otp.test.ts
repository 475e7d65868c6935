import { describe, expect, it } from 'vitest';
import { decodeBase32Secret, matchTokenCode, otpAt, type TokenParams, type TokenState } from './otp.ts';

const ascii = (text: string) => new TextEncoder().encode(text);
// RFC 4226 Appendix D and RFC 6238 Appendix B: the seeds are ASCII digits, as long as the hash's block.
const sha1Seed = ascii('12345678901234567890');
const seeds = {
  SHA1: sha1Seed,
  SHA256: ascii('12345678901234567890123456789012'),
  SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
} as const;

describe('HOTP (RFC 4226 Appendix D)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, counter) => [counter, code] as const))('counter %i gives %s', (counter, code) => {
    expect(otpAt(sha1Seed, { algorithm: 'SHA1', digits: 6 }, counter)).toBe(code);
  });
});

describe('TOTP (RFC 6238 Appendix B)', () => {
  // Time in seconds, then the 8-digit codes for SHA-1, SHA-256 and SHA-512.
  const table: Array<[number, string, string, string]> = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  const rows = table.flatMap(([t, sha1, sha256, sha512]) => [
    [t, 'SHA1', sha1] as const,
    [t, 'SHA256', sha256] as const,
    [t, 'SHA512', sha512] as const,
  ]);
  it.each(rows)('T=%i with %s gives %s, and is accepted then', (seconds, algorithm, code) => {
    const params: TokenParams = { kind: 'totp', algorithm, digits: 8, period: 30 };
    expect(otpAt(seeds[algorithm], params, Math.floor(seconds / 30))).toBe(code);
    const result = matchTokenCode(seeds[algorithm], params, { counter: 0, drift: 0, lastStep: -1 }, seconds * 1000, code);
    expect(result).toMatchObject({ outcome: 'accepted', state: { lastStep: Math.floor(seconds / 30) } });
  });
});

describe('windows and resynchronisation', () => {
  const hotp: TokenParams = { kind: 'hotp', algorithm: 'SHA1', digits: 6, period: 30 };
  const totp: TokenParams = { kind: 'totp', algorithm: 'SHA1', digits: 6, period: 30 };
  const fresh: TokenState = { counter: 0, drift: 0, lastStep: -1 };
  const now = 1_700_000_000_000;
  const step = Math.floor(now / 30_000);
  const hotpCode = (c: number) => otpAt(sha1Seed, hotp, c);

  it('HOTP: accepts the expected counter and 3 ahead, never the same counter twice', () => {
    expect(matchTokenCode(sha1Seed, hotp, fresh, now, hotpCode(3))).toMatchObject({ outcome: 'accepted', state: { counter: 4 } });
    expect(matchTokenCode(sha1Seed, hotp, fresh, now, hotpCode(4))).toEqual({ outcome: 'rejected' });
    expect(matchTokenCode(sha1Seed, hotp, { ...fresh, counter: 4 }, now, hotpCode(3))).toEqual({ outcome: 'replayed' });
  });

  it('HOTP: finds a token pressed many times only with two consecutive codes, within 50 counters', () => {
    expect(matchTokenCode(sha1Seed, hotp, fresh, now, hotpCode(30))).toEqual({ outcome: 'rejected' });
    expect(matchTokenCode(sha1Seed, hotp, fresh, now, hotpCode(30), hotpCode(31))).toEqual({
      outcome: 'accepted',
      state: { ...fresh, counter: 32 },
      resynchronised: true,
    });
    expect(matchTokenCode(sha1Seed, hotp, fresh, now, hotpCode(30), hotpCode(32))).toEqual({ outcome: 'rejected' });
    expect(matchTokenCode(sha1Seed, hotp, fresh, now, hotpCode(60), hotpCode(61))).toEqual({ outcome: 'rejected' });
  });

  it('TOTP: one step either side; a used step or an earlier one is refused', () => {
    const code = (s: number) => otpAt(sha1Seed, totp, s);
    expect(matchTokenCode(sha1Seed, totp, fresh, now, code(step + 1))).toMatchObject({
      outcome: 'accepted',
      state: { lastStep: step + 1 },
    });
    expect(matchTokenCode(sha1Seed, totp, fresh, now, code(step + 2))).toEqual({ outcome: 'rejected' });
    expect(matchTokenCode(sha1Seed, totp, { ...fresh, lastStep: step }, now, code(step))).toEqual({ outcome: 'replayed' });
    expect(matchTokenCode(sha1Seed, totp, { ...fresh, lastStep: step }, now, code(step - 1))).toEqual({ outcome: 'replayed' });
  });

  it('TOTP: finds a drifted clock only with two consecutive codes, within 10 steps, and keeps the offset', () => {
    const code = (s: number) => otpAt(sha1Seed, totp, s);
    expect(matchTokenCode(sha1Seed, totp, fresh, now, code(step + 6))).toEqual({ outcome: 'rejected' });
    const resync = matchTokenCode(sha1Seed, totp, fresh, now, code(step + 5), code(step + 6));
    expect(resync).toEqual({ outcome: 'accepted', state: { ...fresh, lastStep: step + 6, drift: 6 }, resynchronised: true });
    // Later, one code near the new offset is enough.
    const later = now + 300_000;
    const state = resync.outcome === 'accepted' ? resync.state : fresh;
    expect(matchTokenCode(sha1Seed, totp, state, later, code(step + 10 + 6))).toMatchObject({ outcome: 'accepted' });
    expect(matchTokenCode(sha1Seed, totp, fresh, now, code(step - 12), code(step - 11))).toEqual({ outcome: 'rejected' });
  });

  it('refuses codes of the wrong length', () => {
    expect(matchTokenCode(sha1Seed, hotp, fresh, now, '1234567')).toEqual({ outcome: 'rejected' });
    expect(matchTokenCode(sha1Seed, { ...hotp, digits: 8 }, fresh, now, hotpCode(0))).toEqual({ outcome: 'rejected' });
  });
});

describe('base32 secrets', () => {
  it('reads any case, spaces and padding', () => {
    expect(decodeBase32Secret('gezd gnbv gy3t qojq GEZDGNBVGY3TQOJQ')).toEqual(sha1Seed);
    expect(decodeBase32Secret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====')).toEqual(sha1Seed);
  });
  it('refuses what is not base32', () => {
    expect(decodeBase32Secret('GEZDGNBVGY3TQOJ1')).toBeNull();
    expect(decodeBase32Secret('   ')).toBeNull();
  });
});

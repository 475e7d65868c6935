import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  APP_PASSWORD_ENTROPY_BITS,
  APP_PASSWORD_LENGTH,
  formatAppPassword,
  generateAppPassword,
  hashAppPassword,
  normalizeAppPassword,
  verifyAppPassword,
} from './app-password-secret.ts';

const ALPHABET_SIZE = 26;
const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);

function letterIndex(letter: string): number {
  return letter.charCodeAt(0) - 'a'.charCodeAt(0);
}

/** Pearson's statistic of observed counts against a uniform expectation. */
function chiSquareAgainstUniform(counts: readonly number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

// Upper bounds at p ≈ 6e-8 (Wilson–Hilferty, z = 5.3), so a correct generator
// fails these about once in ten million runs, while real bias is caught (see
// the `% 26` control below).
const CHI_SQUARE_BOUND_DF_25 = 83;
const CHI_SQUARE_BOUND_DF_600 = 805;

describe('generateAppPassword', () => {
  it('yields 24 lower-case letters every time', () => {
    for (let i = 0; i < 2_000; i++) {
      const password = generateAppPassword();
      expect(password).toHaveLength(APP_PASSWORD_LENGTH);
      expect(password).toMatch(/^[a-z]{24}$/);
    }
  });

  it('carries at least the 112 bits NIST and ASVS ask of a plainly hashed secret', () => {
    expect(APP_PASSWORD_ENTROPY_BITS).toBeCloseTo(24 * Math.log2(26), 10);
    expect(APP_PASSWORD_ENTROPY_BITS).toBeGreaterThanOrEqual(112);
    expect(APP_PASSWORD_ENTROPY_BITS).toBeLessThan(113);
  });

  it('does not repeat itself', () => {
    const seen = new Set(Array.from({ length: 5_000 }, generateAppPassword));
    expect(seen.size).toBe(5_000);
  });

  it('uses every letter about equally often, overall and at each position', () => {
    const samples = 20_000;
    const overall = new Array<number>(ALPHABET_SIZE).fill(0);
    const byPosition = Array.from({ length: APP_PASSWORD_LENGTH }, () => new Array<number>(ALPHABET_SIZE).fill(0));
    for (let i = 0; i < samples; i++) {
      const password = generateAppPassword();
      for (let position = 0; position < password.length; position++) {
        const index = letterIndex(password.charAt(position));
        overall[index] = (overall[index] ?? 0) + 1;
        const row = byPosition[position];
        if (row) row[index] = (row[index] ?? 0) + 1;
      }
    }
    expect(chiSquareAgainstUniform(overall)).toBeLessThan(CHI_SQUARE_BOUND_DF_25);
    // Summing the 24 independent per-position statistics gives one statistic
    // with 24 * 25 = 600 degrees of freedom, tested once instead of 24 times.
    const positional = byPosition.reduce((sum, row) => sum + chiSquareAgainstUniform(row), 0);
    expect(positional).toBeLessThan(CHI_SQUARE_BOUND_DF_600);
  });

  it('(control) the frequency check is strong enough to catch `byte % 26` bias', () => {
    const overall = new Array<number>(ALPHABET_SIZE).fill(0);
    for (const byte of randomBytes(20_000 * APP_PASSWORD_LENGTH)) {
      const index = byte % ALPHABET_SIZE;
      overall[index] = (overall[index] ?? 0) + 1;
    }
    expect(chiSquareAgainstUniform(overall)).toBeGreaterThan(CHI_SQUARE_BOUND_DF_25);
  });
});

describe('formatAppPassword and normalizeAppPassword', () => {
  it('shows six groups of four', () => {
    expect(formatAppPassword('abcdefghijklmnopqrstuvwx')).toBe('abcd efgh ijkl mnop qrst uvwx');
  });

  it('round-trips the displayed form back to the raw secret', () => {
    for (let i = 0; i < 200; i++) {
      const raw = generateAppPassword();
      expect(normalizeAppPassword(formatAppPassword(raw))).toBe(raw);
    }
  });

  it('refuses to format something that is not an app password', () => {
    expect(() => formatAppPassword('abcd')).toThrow(RangeError);
    expect(() => formatAppPassword('abcd efgh ijkl mnop qrst uvwx')).toThrow(RangeError);
  });

  it('accepts what people and legacy clients actually type', () => {
    const raw = 'abcdefghijklmnopqrstuvwx';
    expect(normalizeAppPassword(raw)).toBe(raw);
    expect(normalizeAppPassword('ABCD EFGH IJKL MNOP QRST UVWX')).toBe(raw);
    expect(normalizeAppPassword('abcd-efgh-ijkl-mnop-qrst-uvwx')).toBe(raw);
    expect(normalizeAppPassword('  abcdefgh ijklmnop--qrstuvwx ')).toBe(raw);
  });

  it('rejects wrong lengths', () => {
    expect(normalizeAppPassword('')).toBeUndefined();
    expect(normalizeAppPassword('abcdefghijklmnopqrstuvw')).toBeUndefined();
    expect(normalizeAppPassword('abcdefghijklmnopqrstuvwxy')).toBeUndefined();
    expect(normalizeAppPassword('a'.repeat(10_000))).toBeUndefined();
    expect(normalizeAppPassword(' '.repeat(10_000) + 'abcdefghijklmnopqrstuvwx')).toBeUndefined();
  });

  it('rejects digits, punctuation, other whitespace and non-ASCII letters', () => {
    expect(normalizeAppPassword('abcdefghijklmnopqrstuvw1')).toBeUndefined();
    expect(normalizeAppPassword('abcd_efgh_ijkl_mnop_qrst_uvwx')).toBeUndefined();
    expect(normalizeAppPassword('abcd\tefgh ijkl mnop qrst uvwx')).toBeUndefined();
    expect(normalizeAppPassword('abcdefghijklmnopqrstuvwé')).toBeUndefined();
    // U+212A KELVIN SIGN lower-cases to ASCII "k"; it must not pass as one.
    expect(normalizeAppPassword('abcdefghij\u212Almnopqrstuvwx')).toBeUndefined();
  });
});

describe('hashAppPassword and verifyAppPassword', () => {
  const secret = 'abcdefghijklmnopqrstuvwx';

  it('is deterministic for one key and differs between keys', () => {
    const stored = hashAppPassword(KEY, secret);
    expect(hashAppPassword(KEY, secret)).toBe(stored);
    expect(hashAppPassword(OTHER_KEY, secret)).not.toBe(stored);
    expect(hashAppPassword(KEY, 'bbcdefghijklmnopqrstuvwx')).not.toBe(stored);
    expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses to hash a non-normalized secret or with a short key', () => {
    expect(() => hashAppPassword(KEY, formatAppPassword(secret))).toThrow(RangeError);
    expect(() => hashAppPassword(new Uint8Array(16), secret)).toThrow(RangeError);
    expect(() => hashAppPassword(new Uint8Array(0), secret)).toThrow(RangeError);
  });

  it('verifies the right secret and rejects others', () => {
    const stored = hashAppPassword(KEY, secret);
    expect(verifyAppPassword(KEY, secret, stored)).toBe(true);
    expect(verifyAppPassword(KEY, 'abcdefghijklmnopqrstuvwy', stored)).toBe(false);
    expect(verifyAppPassword(OTHER_KEY, secret, stored)).toBe(false);
  });

  it('returns false, without throwing, for malformed stored values', () => {
    const stored = hashAppPassword(KEY, secret);
    const malformed: unknown[] = [
      '',
      stored.slice(0, -1),
      stored + 'A',
      stored.toUpperCase() === stored ? stored.toLowerCase() : stored.toUpperCase(),
      'é'.repeat(43), // right character count, wrong byte count
      Buffer.from(stored, 'base64url').toString('hex'),
      null,
      undefined,
      42,
    ];
    for (const value of malformed) {
      // Rows from a database are not guaranteed to match their declared type.
      expect(() => verifyAppPassword(KEY, secret, value as string)).not.toThrow();
      expect(verifyAppPassword(KEY, secret, value as string)).toBe(false);
    }
  });
});

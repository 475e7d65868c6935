/**
 * App passwords: server-generated secrets that legacy mail clients (old
 * Outlook, IMAP/SMTP/EAS) send with HTTP Basic auth in place of the user's
 * real credentials. This module owns their shape, their display form and how
 * they are stored and checked; it knows nothing about users or databases.
 *
 * Why a keyed hash (HMAC-SHA-256) and not Argon2id
 * ------------------------------------------------
 * - Offline guessing is already infeasible. The secret is picked by the
 *   server from a CSPRNG: 24 letters from a 26-letter alphabet give
 *   24 * log2(26) ≈ 112.8 bits. Nobody can enumerate 2^112 candidates, so a
 *   slow, memory-hard hash would only add cost, not safety. Memory-hard
 *   hashing exists for human-chosen passwords, whose real entropy is low.
 * - The standards say so. NIST SP 800-63B (rev. 3), §5.1.2.2 "Look-Up Secret
 *   Verifiers": look-up secrets with at least 112 bits of entropy shall be
 *   hashed with an approved one-way function; only shorter ones need a
 *   salted password-hashing scheme. §5.2.7 "Verifier-Compromise Resistance"
 *   counts a hashed secret as verifier-compromise resistant only when the
 *   secret has at least 112 bits of security strength, as ours does.
 *   OWASP ASVS 5.0 V6.5.2 says the same: a standard hash function can be used
 *   when the secret has 112 bits of entropy or more.
 * - The key adds a second wall. §5.1.1.2 of the same document recommends a
 *   keyed hash (e.g. HMAC) with the key stored apart from the hashes. Our key
 *   lives outside the database, so a stolen database alone does not even let
 *   an attacker test a guess.
 * - Legacy clients re-authenticate on every connection and every poll, so
 *   the check runs constantly. HMAC takes about a microsecond; Argon2id
 *   measured about 10 ms with 19 MiB (m=19456, t=2) and about 65 ms with
 *   64 MiB (t=3) per check on a development machine, which would turn a
 *   fleet of polling clients into a CPU and memory burden (and a cheap way
 *   to overload the server).
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Letters in one app password. */
export const APP_PASSWORD_LENGTH = 24;

/** Entropy of one generated app password, in bits (≈ 112.8). */
export const APP_PASSWORD_ENTROPY_BITS = APP_PASSWORD_LENGTH * Math.log2(ALPHABET.length);

const DISPLAY_GROUP_SIZE = 4;

/**
 * HMAC keys shorter than the hash output weaken the "stolen database cannot
 * test guesses" property; refusing them catches an empty or truncated key in
 * configuration instead of silently degrading to a near-unkeyed hash.
 */
export const MIN_APP_PASSWORD_KEY_BYTES = 32;

/**
 * Upper bound on what normalization will look at. A correct entry is 24
 * letters plus a few separators; anything far longer is rejected before any
 * string work, so a hostile header cannot make us scan kilobytes.
 */
const MAX_TYPED_LENGTH = 64;

const NORMALIZED_PATTERN = /^[a-z]{24}$/;
// Checked before lower-casing: String#toLowerCase maps some non-ASCII
// characters (e.g. the Kelvin sign U+212A) to ASCII letters, and those must
// not be accepted as if they were "k".
const TYPED_LETTERS_PATTERN = /^[A-Za-z]{24}$/;
const SEPARATORS = /[ -]/g;

/** base64url of a 32-byte HMAC-SHA-256 digest, without padding. */
const STORED_HASH_LENGTH = 43;

/** A fresh app password: 24 lower-case letters, uniformly random. */
export function generateAppPassword(): string {
  let password = '';
  for (let i = 0; i < APP_PASSWORD_LENGTH; i++) {
    // randomInt rejects out-of-range draws instead of using `% 26`, so every
    // letter is exactly equally likely (no modulo bias).
    password += ALPHABET[randomInt(ALPHABET.length)];
  }
  return password;
}

/** "abcd efgh ijkl mnop qrst uvwx": groups of four are easier to read and type. */
export function formatAppPassword(raw: string): string {
  if (!NORMALIZED_PATTERN.test(raw)) {
    // Showing a user something that can never verify is a bug upstream.
    throw new RangeError('formatAppPassword expects a normalized app password');
  }
  const groups: string[] = [];
  for (let start = 0; start < raw.length; start += DISPLAY_GROUP_SIZE) {
    groups.push(raw.slice(start, start + DISPLAY_GROUP_SIZE));
  }
  return groups.join(' ');
}

/**
 * Turns what a user or client typed into the canonical form, or undefined
 * when it cannot be an app password. Spaces and hyphens are dropped and case
 * is ignored, because people copy the grouped form or retype it by hand.
 * Rejecting here is cheap and keeps obviously wrong input away from hashing.
 */
export function normalizeAppPassword(input: string): string | undefined {
  if (input.length > MAX_TYPED_LENGTH) return undefined;
  const letters = input.replace(SEPARATORS, '');
  if (!TYPED_LETTERS_PATTERN.test(letters)) return undefined;
  return letters.toLowerCase();
}

function assertUsableKey(key: Uint8Array): void {
  if (key.length < MIN_APP_PASSWORD_KEY_BYTES) {
    throw new RangeError(`app password key must be at least ${MIN_APP_PASSWORD_KEY_BYTES} bytes`);
  }
}

function keyedDigest(key: Uint8Array, normalized: string): string {
  return createHmac('sha256', key).update(normalized, 'utf8').digest('base64url');
}

/**
 * The value to store for a new app password (base64url, 43 characters).
 * Deterministic for a given key, so verification is one HMAC and a compare;
 * no salt is needed because every secret is already unique and random.
 */
export function hashAppPassword(key: Uint8Array, normalized: string): string {
  assertUsableKey(key);
  if (!NORMALIZED_PATTERN.test(normalized)) {
    // Storing the hash of e.g. the grouped form would lock the user out.
    throw new RangeError('hashAppPassword expects a normalized app password');
  }
  return keyedDigest(key, normalized);
}

/**
 * True when `normalized` is the app password behind `storedHash`. The compare
 * is constant-time so response timing reveals nothing about how much of the
 * hash matched. A malformed stored value (wrong length, null from a bad row)
 * is simply "no match": a login path must not crash on bad data.
 */
export function verifyAppPassword(key: Uint8Array, normalized: string, storedHash: string): boolean {
  assertUsableKey(key);
  // The stored value's length is not secret, so checking it early leaks
  // nothing; timingSafeEqual itself throws on unequal lengths.
  if (typeof storedHash !== 'string' || storedHash.length !== STORED_HASH_LENGTH) return false;
  const expected = Buffer.from(keyedDigest(key, normalized), 'utf8');
  const stored = Buffer.from(storedHash, 'utf8');
  if (stored.length !== expected.length) return false; // non-ASCII characters in the stored text
  return timingSafeEqual(expected, stored);
}

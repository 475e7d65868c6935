import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256-bit random token, base64url: session ids, CSRF tokens (OWASP ASVS 5.0 V7.2: ≥128 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Record ids: 128 random bits, URL-safe. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares two strings without leaking, through timing, where they first differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Still spend the comparison so a length mismatch is not faster to detect.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

import { Secret, TOTP } from 'otpauth';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export interface TotpParams {
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
}

/**
 * RFC 6238 defaults, which every authenticator app understands: SHA-1, six
 * digits, 30-second steps. (Apps commonly ignore other algorithms in the URI.)
 */
export const appTotpParams: TotpParams = { algorithm: 'SHA1', digits: 6, period: 30 };

/**
 * One step of drift either side (RFC 6238 §5.2 recommends at most one
 * "backward" step for network delay; we allow one forward for fast clocks).
 */
export const TOTP_WINDOW = 1;

/** A 160-bit secret (RFC 4226 §4 R6 recommends 160 bits), base32 as apps expect it. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, params: TotpParams): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), ...params });
}

export function totpCode(secretBase32: string, timestampMs: number, params: TotpParams = appTotpParams): string {
  return totp(secretBase32, params).generate({ timestamp: timestampMs });
}

export function totpStep(timestampMs: number, period = appTotpParams.period): number {
  return Math.floor(timestampMs / 1000 / period);
}

/**
 * The time step whose code matches, within the drift window, or null. The
 * caller records the step so the same code is never accepted twice.
 * (otpauth compares candidate codes in constant time.)
 */
export function matchTotpStep(secretBase32: string, code: string, timestampMs: number, params: TotpParams = appTotpParams): number | null {
  if (!/^\d+$/.test(code) || code.length !== params.digits) return null;
  const delta = totp(secretBase32, params).validate({ token: code, timestamp: timestampMs, window: TOTP_WINDOW });
  return delta === null ? null : totpStep(timestampMs, params.period) + delta;
}

/** The Key Uri Format authenticator apps read from the QR code. */
export function totpUri(input: { secretBase32: string; issuer: string; accountName: string }): string {
  return new TOTP({
    ...appTotpParams,
    issuer: input.issuer,
    label: input.accountName,
    secret: Secret.fromBase32(input.secretBase32),
  }).toString();
}

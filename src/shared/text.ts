import { z } from 'zod';

/**
 * The one policy for text a person types (user names, display names, method
 * names, phone numbers and extensions, search terms): trimmed, refused with
 * `invalid_text` when it holds a control character (C0, DEL, C1: U+0000–U+001F,
 * U+007F–U+009F) or half of a surrogate pair, and normalised to NFC, so the
 * same name typed on two keyboards is stored once (OWASP ASVS 5.0 V1.2, V2.2;
 * Unicode UAX #15). PostgreSQL cannot store U+0000 at all and turns a lone
 * surrogate into U+FFFD: both would otherwise fail or change data on one
 * database and not on the other (docs/reference.md#user-text).
 */

/** C0 and C1 controls, and any surrogate code point (with the `u` flag only an unpaired one can match). */
const forbidden = /[\p{Cc}\p{Cs}]/u;

/** True when a string holds nothing `userText` refuses. */
export function isCleanText(value: string): boolean {
  return !forbidden.test(value);
}

/**
 * The issue parameter that turns a refusal into the `invalid_text` error code
 * (the server's validation reads it; a refused field is named in `fields`).
 */
export const invalidTextIssue = { errorCode: 'invalid_text' } as const;

export interface UserTextLimits {
  /** Fewest characters after trimming; 1 unless said. */
  min?: number;
  /** Most characters after trimming and normalising. */
  max: number;
}

/** A string schema for user-supplied text under the policy above. */
export function userText({ min = 1, max }: UserTextLimits) {
  return z
    .string()
    .trim()
    .refine(isCleanText, { message: 'invalid_text', params: invalidTextIssue, abort: true })
    .normalize('NFC')
    .min(min)
    .max(max);
}

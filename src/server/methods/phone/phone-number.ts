/**
 * Parsing, validation, display and masking of the phone numbers users register.
 *
 * Numbers are stored in E.164 form (ITU-T E.164: "+", country calling code,
 * national number, at most 15 digits) so that the same line is always written
 * the same way, whatever the user typed. The "max" metadata of libphonenumber
 * is used because only it knows the TYPE of a number (mobile, VoIP, premium
 * rate…), which the refusal rules below depend on.
 */
import { ParseError, isSupportedCountry, parsePhoneNumberWithError, validatePhoneNumberLength } from 'libphonenumber-js/max';
import type { PhoneNumber, PhoneNumberType, ValidatePhoneNumberLengthResult } from 'libphonenumber-js/max';
import { maskPhoneNumber } from '../../core/audit/phone-mask.ts';

export type PhoneRejectReason =
  'invalid_country' | 'not_a_number' | 'too_short' | 'too_long' | 'invalid_number' | 'voip_not_allowed' | 'invalid_extension';

export type PhoneParseResult =
  | {
      ok: true;
      e164: string;
      /** ISO 3166-1 alpha-2 region the number belongs to (may differ from the picked country). */
      country: string;
      extension?: string;
      /** libphonenumber's type (MOBILE, FIXED_LINE_OR_MOBILE…), when the metadata knows it. */
      type?: string;
    }
  | { ok: false; reason: PhoneRejectReason };

/**
 * Far longer than any real number with an extension; refusing early keeps
 * pasted junk (or a hostile megabyte) away from the parser.
 */
const MAX_INPUT_LENGTH = 100;

/** Extensions are dialled as DTMF digits after the call connects; 10 is plenty for any PBX. */
const EXTENSION_PATTERN = /^[0-9]{1,10}$/;

/**
 * Types refused for a sign-in method, and why:
 * - VOIP: virtual numbers can be created in bulk, without identity checks, and
 *   moved between accounts, so they prove nothing about possession of a
 *   device (the reference product refuses them; NIST SP 800-63B §5.1.3.1
 *   rules out VoIP for out-of-band authentication for the same reason).
 * - PREMIUM_RATE and SHARED_COST: calling or texting them costs us money, which
 *   is exactly what toll-fraud / SMS-pumping attacks exploit by registering
 *   numbers they earn revenue from.
 * - UAN: "universal access numbers" route to a company's call centre, not to a
 *   person's device.
 * - PAGER: cannot take a voice call and usually cannot receive SMS from a
 *   short code.
 * TOLL_FREE and PERSONAL_NUMBER stay allowed: they are billed to their owner
 * and do reach a line the owner controls.
 */
const REFUSED_TYPES: ReadonlyMap<PhoneNumberType, PhoneRejectReason> = new Map([
  ['VOIP', 'voip_not_allowed'],
  ['PREMIUM_RATE', 'invalid_number'],
  ['SHARED_COST', 'invalid_number'],
  ['UAN', 'invalid_number'],
  ['PAGER', 'invalid_number'],
]);

const PARSE_ERROR_REASONS: Readonly<Record<ValidatePhoneNumberLengthResult, PhoneRejectReason>> = {
  INVALID_COUNTRY: 'invalid_country',
  NOT_A_NUMBER: 'not_a_number',
  TOO_SHORT: 'too_short',
  TOO_LONG: 'too_long',
  // The digit count falls between two lengths the country uses: not "too" anything.
  INVALID_LENGTH: 'invalid_number',
};

function reject(reason: PhoneRejectReason): PhoneParseResult {
  return { ok: false, reason };
}

/**
 * "00" is the international call prefix recommended by ITU-T E.164 and used
 * in most of the world. Users type it even when their picked country dials
 * abroad differently (e.g. 011 in North America), so it is read as "+" in any
 * case; no country starts its national numbers with 00.
 */
function normalizeInternationalPrefix(input: string): string {
  const trimmed = input.trim();
  return trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
}

function isParseErrorCode(message: string): message is ValidatePhoneNumberLengthResult {
  return Object.hasOwn(PARSE_ERROR_REASONS, message);
}

function reasonForParseError(error: unknown): PhoneRejectReason {
  if (error instanceof ParseError && isParseErrorCode(error.message)) return PARSE_ERROR_REASONS[error.message];
  return 'not_a_number';
}

/** The explicit extension field wins only when it agrees with one typed inside the number. */
function resolveExtension(typed: string | undefined, explicit: string | undefined): string | undefined | null {
  const field = explicit?.trim() || undefined;
  if (field !== undefined && typed !== undefined && field !== typed) return null;
  const extension = field ?? typed;
  if (extension === undefined) return undefined;
  return EXTENSION_PATTERN.test(extension) ? extension : null;
}

/**
 * Reads what a user typed into the phone field.
 *
 * @param input   the number in any common notation; a leading "+" or "00"
 *                makes it international and overrides `country`.
 * @param country the ISO 3166-1 alpha-2 code the user picked, used for
 *                numbers typed in national notation.
 * @param extension optional extension field (digits only, 1–10).
 */
export function parsePhoneInput(input: string, country: string, extension?: string): PhoneParseResult {
  if (input.length > MAX_INPUT_LENGTH) return reject('too_long');
  const text = normalizeInternationalPrefix(input);
  const isInternational = text.startsWith('+');
  const pickedCountry = country.trim().toUpperCase();
  if (!isInternational && !isSupportedCountry(pickedCountry)) return reject('invalid_country');
  // The picked country is irrelevant once the number carries its own calling
  // code, so an unknown picked country must not spoil an international number.
  const defaultCountry = !isInternational && isSupportedCountry(pickedCountry) ? pickedCountry : undefined;

  let number: PhoneNumber;
  try {
    // extract: false — the whole field must be a number; "601 234 78x" is a
    // typo to point out, not text to fish digits from.
    number = parsePhoneNumberWithError(text, { defaultCountry, extract: false });
  } catch (error) {
    return reject(reasonForParseError(error));
  }

  if (!number.isValid()) {
    const lengthProblem = validatePhoneNumberLength(text, { defaultCountry });
    return reject(lengthProblem ? PARSE_ERROR_REASONS[lengthProblem] : 'invalid_number');
  }
  // Non-geographic calling codes (+800 freephone, +881 satellite, +882/+883
  // international networks) belong to no country, so neither the per-country
  // SMS routing nor the sender table can serve them.
  if (number.country === undefined) return reject('invalid_country');

  const type = number.getType();
  const refusal = type === undefined ? undefined : REFUSED_TYPES.get(type);
  if (refusal) return reject(refusal);

  const resolvedExtension = resolveExtension(number.ext, extension);
  if (resolvedExtension === null) return reject('invalid_extension');

  return {
    ok: true,
    e164: number.number,
    country: number.country,
    ...(resolvedExtension === undefined ? {} : { extension: resolvedExtension }),
    ...(type === undefined ? {} : { type }),
  };
}

function parseStored(e164: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(e164, { extract: false });
  } catch {
    return undefined;
  }
}

/** International notation for display, e.g. "+48 601 234 789" or "+1 201 555 0123 ext. 123". */
export function formatPhoneNumber(e164: string, extension?: string): string {
  // A stored value the metadata no longer understands is still shown, unformatted.
  const formatted = parseStored(e164)?.formatInternational() ?? e164;
  return extension ? `${formatted} ext. ${extension}` : formatted;
}

export { maskPhoneNumber };

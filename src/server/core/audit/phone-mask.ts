import { parsePhoneNumberWithError, type PhoneNumber } from 'libphonenumber-js/max';

// The verification log keeps the phone number of each SMS or call (docs/reference.md#verification-log);
// wherever a record is shown to anyone but an administrator, the number is masked with this.

function parseStored(e164: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(e164, { extract: false });
  } catch {
    return undefined;
  }
}

/** Digits left readable at the end: enough for the user to recognise the line, too few to call it. */
const VISIBLE_TRAILING_DIGITS = 3;

/**
 * Hides a number for messages and the sign-in page, keeping the calling code,
 * the grouping and the last digits: "+48 601 234 789" → "+48 ••• ••• 789".
 */
export function maskPhoneNumber(e164: string): string {
  const parsed = parseStored(e164);
  const prefix = parsed ? `+${parsed.countryCallingCode}` : '+';
  const formatted = parsed ? parsed.formatInternational() : `+${e164.replace(/\D/g, '')}`;
  const rest = formatted.slice(prefix.length);
  let digitsToHide = (rest.match(/\d/g) ?? []).length - VISIBLE_TRAILING_DIGITS;
  const masked = rest.replace(/\d/g, (digit) => (digitsToHide-- > 0 ? '•' : digit));
  return prefix + masked;
}

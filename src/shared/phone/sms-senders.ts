/**
 * Which sender a user should expect verification texts from, by country.
 *
 * Shared by client (the "expect a text from…" hint) and server, so it depends
 * on nothing. Keys are ISO 3166-1 alpha-2 codes; values are the short codes
 * texts are sent from. Short codes are provisioned country by country and
 * exist only for the US and Canada; elsewhere the sender is whatever number
 * or name the carrier route shows, so the UI says "no fixed sender" rather
 * than guess.
 *
 * The provider may switch short codes at any time: the UI must present these
 * as "usually", never as the only legitimate sender. Edit the table as the
 * provider's list changes.
 */
export const SMS_SENDERS_BY_COUNTRY: Readonly<Record<string, readonly string[]>> = Object.freeze({
  US: Object.freeze(['97671', '69829', '51789', '99399']),
  CA: Object.freeze(['759731', '673801']),
});

const NO_FIXED_SENDER: readonly string[] = Object.freeze([]);

/**
 * Short codes a user in `country` (ISO 3166-1 alpha-2, any letter case) may
 * see as the sender; an empty list means there is no fixed sender.
 */
export function expectedSmsSenders(country: string): readonly string[] {
  const key = country.trim().toUpperCase();
  // Own keys only, so no input can pick up something from Object.prototype.
  return Object.hasOwn(SMS_SENDERS_BY_COUNTRY, key) ? (SMS_SENDERS_BY_COUNTRY[key] ?? NO_FIXED_SENDER) : NO_FIXED_SENDER;
}

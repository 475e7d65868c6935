/**
 * Default display names for new WebAuthn credentials, chosen from the
 * authenticator's AAGUID (the model identifier in attested credential data,
 * WebAuthn §6.5.1) so the security-info list can say "Google Password Manager"
 * rather than a generic label the user has to rename.
 *
 * Names only, never policy: with "none" attestation the AAGUID is merely
 * claimed by the authenticator, so it must not drive any trust decision; that
 * takes a verified attestation statement checked against FIDO MDS (§6.5). A
 * wrong guess here only costs a misleading default name the user can change.
 *
 * Product names are proper nouns and are not translated; when this returns
 * undefined the caller falls back to its translated "Security key".
 */

/**
 * Sources, checked entry by entry:
 * - Passkey providers: the community list at
 *   github.com/passkeydeveloper/passkey-authenticator-aaguids (aaguid.json and
 *   dist/<aaguid>/meta.json), whose names are the ones the providers asked for.
 * - YubiKeys: Yubico's "YubiKey Hardware FIDO2 AAGUIDs" table (yubi.co/aaguids)
 *   as reproduced in public references, cross-checked against the community
 *   list, FIDO MDS-derived tables and Yubico's own documentation; names follow
 *   the FIDO MDS descriptions, because one AAGUID covers several form factors
 *   (e.g. YubiKey 5 NFC and 5C NFC share one).
 * Keys are lower-case, dashed, as @simplewebauthn/server reports them.
 */
export const AUTHENTICATOR_NAMES_BY_AAGUID: ReadonlyMap<string, string> = new Map([
  // Synced passkey providers and platform authenticators.
  ['ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4', 'Google Password Manager'],
  ['adce0002-35bc-c60a-648b-0b25f1f05503', 'Chrome on Mac'],
  ['771b48fd-d3d4-4f74-9232-fc157ab0507a', 'Edge on Mac'],
  // Apple renamed iCloud Keychain's user-facing app to "Passwords" in 2024 and
  // the community list followed; the managed (MDM) variant kept the old name.
  ['fbfc3007-154e-4ecc-8c0b-6e020557d7bd', 'Apple Passwords'],
  ['dd4ec289-e01d-41c9-bb89-70fa845d4bf2', 'iCloud Keychain (Managed)'],
  // Windows Hello reports different AAGUIDs per Windows build / key storage.
  ['08987058-cadc-4b81-b6e1-30de50dcbe96', 'Windows Hello'],
  ['9ddd1817-af5a-4672-a2b9-3e3dd95000a9', 'Windows Hello'],
  ['6028b017-b1d4-4c02-b4b3-afcdafc96bb2', 'Windows Hello'],
  ['d3452668-01fd-4c12-926c-83a4204853aa', 'Microsoft Password Manager'],
  ['53414d53-554e-4700-0000-000000000000', 'Samsung Pass'],
  ['bada5566-a7aa-401f-bd96-45619a55120d', '1Password'],
  ['d548826e-79b4-db40-a3d8-11116f7e8349', 'Bitwarden'],
  ['531126d6-e717-415c-9320-3d9aa6981239', 'Dashlane'],
  ['b84e4048-15dc-4dd0-8640-f4f60813c8af', 'NordPass'],
  ['0ea242b4-43c4-4a1b-8b17-dd6d0b6baec6', 'Keeper'],

  // YubiKey 5 Series security keys, by firmware generation.
  ['cb69481e-8ff7-4039-93ec-0a2729a154a8', 'YubiKey 5 Series'], // 5.1: 5, 5 Nano, 5C, 5C Nano
  ['ee882879-721c-4913-9775-3dfcce97072a', 'YubiKey 5 Series'], // 5.2 and 5.4
  ['fa2b99dc-9e39-4257-8f92-4a30d23c4118', 'YubiKey 5 Series with NFC'], // 5.1
  ['2fc0579f-8113-47ea-b116-bb5a8db9202a', 'YubiKey 5 Series with NFC'], // 5.2 and 5.4: 5 NFC, 5C NFC
  ['a25342c0-3cdc-4414-8e46-f4807fca511c', 'YubiKey 5 Series with NFC'], // 5.7
  ['d7781e5d-e353-46aa-afe2-3ca49f13332a', 'YubiKey 5 Series with NFC'], // 5.7
  ['c5ef55ff-ad9a-4b9f-b580-adebafe026d0', 'YubiKey 5Ci'], // 5.2 and 5.4, USB-C + Lightning
]);

const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMPACT_UUID = /^[0-9a-f]{32}$/;

/**
 * The product name for an AAGUID, or undefined when unknown. The all-zero
 * AAGUID (U2F keys, privacy-preserving clients, §5.1.3 in Level 2) names no
 * product and is never in the table. Accepts any letter case, with or without
 * dashes, since AAGUIDs reach us from stored rows as well as from the library.
 */
export function authenticatorNameFromAaguid(aaguid: string | undefined): string | undefined {
  if (aaguid === undefined) return undefined;
  const canonical = canonicalAaguid(aaguid);
  return canonical === undefined ? undefined : AUTHENTICATOR_NAMES_BY_AAGUID.get(canonical);
}

function canonicalAaguid(aaguid: string): string | undefined {
  const lower = aaguid.trim().toLowerCase();
  if (DASHED_UUID.test(lower)) return lower;
  if (!COMPACT_UUID.test(lower)) return undefined;
  return [lower.slice(0, 8), lower.slice(8, 12), lower.slice(12, 16), lower.slice(16, 20), lower.slice(20)].join('-');
}

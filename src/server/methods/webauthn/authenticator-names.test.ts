import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { AUTHENTICATOR_NAMES_BY_AAGUID, authenticatorNameFromAaguid } from './authenticator-names.ts';
import { SoftAuthenticator } from './test-support/soft-authenticator.ts';

describe('authenticatorNameFromAaguid', () => {
  it('names well-known passkey providers and security keys', () => {
    expect(authenticatorNameFromAaguid('ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4')).toBe('Google Password Manager');
    expect(authenticatorNameFromAaguid('fbfc3007-154e-4ecc-8c0b-6e020557d7bd')).toBe('Apple Passwords');
    expect(authenticatorNameFromAaguid('08987058-cadc-4b81-b6e1-30de50dcbe96')).toBe('Windows Hello');
    expect(authenticatorNameFromAaguid('bada5566-a7aa-401f-bd96-45619a55120d')).toBe('1Password');
    expect(authenticatorNameFromAaguid('2fc0579f-8113-47ea-b116-bb5a8db9202a')).toBe('YubiKey 5 Series with NFC');
  });

  it('ignores letter case, surrounding space and missing dashes', () => {
    expect(authenticatorNameFromAaguid('D548826E-79B4-DB40-A3D8-11116F7E8349')).toBe('Bitwarden');
    expect(authenticatorNameFromAaguid(' 531126d6-e717-415c-9320-3d9aa6981239 ')).toBe('Dashlane');
    expect(authenticatorNameFromAaguid('adce000235bcc60a648b0b25f1f05503')).toBe('Chrome on Mac');
  });

  it('returns undefined for absent, all-zero, unknown and malformed AAGUIDs', () => {
    expect(authenticatorNameFromAaguid(undefined)).toBeUndefined();
    expect(authenticatorNameFromAaguid('')).toBeUndefined();
    expect(authenticatorNameFromAaguid('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(authenticatorNameFromAaguid('12345678-1234-4234-8234-123456789abc')).toBeUndefined();
    expect(authenticatorNameFromAaguid('ea9b8d66-4d01-1d21-3ce4')).toBeUndefined();
    expect(authenticatorNameFromAaguid('constructor')).toBeUndefined();
  });

  it('keeps its table in the canonical form lookups rely on', () => {
    for (const [aaguid, name] of AUTHENTICATOR_NAMES_BY_AAGUID) {
      expect(aaguid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(aaguid).not.toBe('00000000-0000-0000-0000-000000000000');
      expect(name.trim()).toBe(name);
      expect(name.length).toBeGreaterThan(0);
    }
  });

  it('accepts the AAGUID exactly as verifyRegistrationResponse reports it', async () => {
    const authenticator = new SoftAuthenticator({ aaguid: 'D3452668-01FD-4C12-926C-83A4204853AA' });
    const options = await generateRegistrationOptions({
      rpName: 'Security info',
      rpID: 'secinfo.example',
      userName: 'ada@secinfo.example',
    });
    const verification = await verifyRegistrationResponse({
      response: authenticator.createCredential({
        challenge: options.challenge,
        rpId: 'secinfo.example',
        origin: 'https://secinfo.example',
        userHandle: options.user.id,
      }),
      expectedChallenge: options.challenge,
      expectedOrigin: 'https://secinfo.example',
      expectedRPID: 'secinfo.example',
    });

    expect(authenticatorNameFromAaguid(verification.registrationInfo?.aaguid)).toBe('Microsoft Password Manager');
  });
});

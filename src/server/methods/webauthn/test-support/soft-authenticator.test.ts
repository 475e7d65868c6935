import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { SoftAuthenticator } from './soft-authenticator.ts';

const RP_ID = 'secinfo.example';
const ORIGIN = 'https://secinfo.example';
const YUBIKEY_5_NFC_AAGUID = '2fc0579f-8113-47ea-b116-bb5a8db9202a';

async function registrationOptions() {
  return generateRegistrationOptions({
    rpName: 'Security info',
    rpID: RP_ID,
    userName: 'ada@secinfo.example',
    userID: new Uint8Array(16).fill(0xad),
  });
}

/** Runs a full, honest registration and returns what the server would store. */
async function register(
  authenticator: SoftAuthenticator,
  options: { residentKey?: boolean } = {},
): Promise<{ credential: WebAuthnCredential; userHandle: string }> {
  const creation = await registrationOptions();
  const response = authenticator.createCredential({
    challenge: creation.challenge,
    rpId: RP_ID,
    origin: ORIGIN,
    userHandle: creation.user.id,
    ...options,
  });
  const verification = await verifyRegistrationResponse({
    response,
    expectedChallenge: creation.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
  if (!verification.verified) throw new Error('registration did not verify');
  return { credential: verification.registrationInfo.credential, userHandle: creation.user.id };
}

async function authenticationChallenge(): Promise<string> {
  const request = await generateAuthenticationOptions({ rpID: RP_ID });
  return request.challenge;
}

describe('SoftAuthenticator registration', () => {
  it('produces a "none" attestation that @simplewebauthn/server verifies', async () => {
    const authenticator = new SoftAuthenticator({ aaguid: YUBIKEY_5_NFC_AAGUID.toUpperCase() });
    const creation = await registrationOptions();

    const response = authenticator.createCredential({
      challenge: creation.challenge,
      rpId: RP_ID,
      origin: ORIGIN,
      userHandle: creation.user.id,
    });
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: creation.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
    });

    expect(verification.verified).toBe(true);
    const info = verification.registrationInfo;
    expect(info?.fmt).toBe('none');
    expect(info?.aaguid).toBe(YUBIKEY_5_NFC_AAGUID);
    expect(info?.credential.id).toBe(response.id);
    expect(info?.credential.id).toBe(authenticator.credentials()[0]?.id);
    expect(info?.credential.publicKey.byteLength).toBeGreaterThan(0);
    expect(info?.credential.counter).toBe(0);
    expect(info?.credential.transports).toEqual(['usb']);
    expect(info?.userVerified).toBe(true);
    expect(info?.credentialDeviceType).toBe('singleDevice');
    expect(info?.credentialBackedUp).toBe(false);
    expect(info?.rpID).toBe(RP_ID);
  });

  it('reports the all-zero AAGUID by default', async () => {
    const authenticator = new SoftAuthenticator();
    const creation = await registrationOptions();
    const verification = await verifyRegistrationResponse({
      response: authenticator.createCredential({
        challenge: creation.challenge,
        rpId: RP_ID,
        origin: ORIGIN,
        userHandle: creation.user.id,
      }),
      expectedChallenge: creation.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
    });
    expect(verification.registrationInfo?.aaguid).toBe('00000000-0000-0000-0000-000000000000');
  });

  it('looks like a synced platform passkey when asked to', async () => {
    const authenticator = new SoftAuthenticator({
      backupEligible: true,
      signCounter: false,
      attachment: 'platform',
    });
    const creation = await registrationOptions();
    const response = authenticator.createCredential({
      challenge: creation.challenge,
      rpId: RP_ID,
      origin: ORIGIN,
      userHandle: creation.user.id,
      residentKey: true,
    });
    const verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: creation.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
    });

    expect(response.authenticatorAttachment).toBe('platform');
    expect(verification.registrationInfo?.credentialDeviceType).toBe('multiDevice');
    expect(verification.registrationInfo?.credentialBackedUp).toBe(true);
    expect(verification.registrationInfo?.credential.transports).toEqual(['hybrid', 'internal']);
  });

  it('is rejected when created for another origin', async () => {
    const authenticator = new SoftAuthenticator();
    const creation = await registrationOptions();
    const response = authenticator.createCredential({
      challenge: creation.challenge,
      rpId: RP_ID,
      origin: 'https://secinfo.example.evil',
      userHandle: creation.user.id,
    });
    await expect(
      verifyRegistrationResponse({
        response,
        expectedChallenge: creation.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
      }),
    ).rejects.toThrow(/origin/);
  });

  it('is rejected when created for another RP ID', async () => {
    const authenticator = new SoftAuthenticator();
    const creation = await registrationOptions();
    const response = authenticator.createCredential({
      challenge: creation.challenge,
      rpId: 'evil.example',
      origin: ORIGIN,
      userHandle: creation.user.id,
    });
    await expect(
      verifyRegistrationResponse({
        response,
        expectedChallenge: creation.challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
      }),
    ).rejects.toThrow(/RP ID/);
  });

  it('refuses a user handle that is not base64url and a malformed AAGUID', () => {
    expect(() => new SoftAuthenticator({ aaguid: 'not-a-uuid' })).toThrow(TypeError);
    expect(() =>
      new SoftAuthenticator().createCredential({
        challenge: 'AAAA',
        rpId: RP_ID,
        origin: ORIGIN,
        userHandle: 'not base64url!',
      }),
    ).toThrow(TypeError);
  });
});

describe('SoftAuthenticator assertions', () => {
  it('verifies, and the signature counter advances with each use', async () => {
    const authenticator = new SoftAuthenticator();
    const { credential } = await register(authenticator);

    for (const expectedCounter of [1, 2]) {
      const challenge = await authenticationChallenge();
      const verification = await verifyAuthenticationResponse({
        response: authenticator.getAssertion({ challenge, rpId: RP_ID, origin: ORIGIN }),
        expectedChallenge: challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
      });
      expect(verification.verified).toBe(true);
      expect(verification.authenticationInfo.newCounter).toBe(expectedCounter);
      expect(verification.authenticationInfo.userVerified).toBe(true);
      credential.counter = verification.authenticationInfo.newCounter;
    }
    expect(authenticator.credentials()[0]?.counter).toBe(2);
  });

  it('keeps reporting 0 without a signature counter, which is not treated as a replay', async () => {
    const authenticator = new SoftAuthenticator({ signCounter: false, backupEligible: true });
    const { credential } = await register(authenticator);

    for (let attempt = 0; attempt < 2; attempt++) {
      const challenge = await authenticationChallenge();
      const verification = await verifyAuthenticationResponse({
        response: authenticator.getAssertion({ challenge, rpId: RP_ID, origin: ORIGIN }),
        expectedChallenge: challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
      });
      expect(verification.verified).toBe(true);
      expect(verification.authenticationInfo.newCounter).toBe(0);
      expect(verification.authenticationInfo.credentialBackedUp).toBe(true);
    }
  });

  it('is not verified when signed by another key (reported, not thrown)', async () => {
    const authenticator = new SoftAuthenticator();
    const { credential } = await register(authenticator);
    const impostor = new SoftAuthenticator();
    await register(impostor);
    const challenge = await authenticationChallenge();
    const genuine = authenticator.getAssertion({ challenge, rpId: RP_ID, origin: ORIGIN });
    const impostorSignature = impostor.getAssertion({ challenge, rpId: RP_ID, origin: ORIGIN }).response.signature;

    const verification = await verifyAuthenticationResponse({
      response: { ...genuine, response: { ...genuine.response, signature: impostorSignature } },
      expectedChallenge: challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential,
    });
    expect(verification.verified).toBe(false);
  });

  it('is rejected when signed for another origin', async () => {
    const authenticator = new SoftAuthenticator();
    const { credential } = await register(authenticator);
    const challenge = await authenticationChallenge();

    await expect(
      verifyAuthenticationResponse({
        response: authenticator.getAssertion({
          challenge,
          rpId: RP_ID,
          origin: 'https://phish.example',
        }),
        expectedChallenge: challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
      }),
    ).rejects.toThrow(/origin/);
  });

  it('is rejected when signed for another RP ID', async () => {
    const authenticator = new SoftAuthenticator();
    const { credential } = await register(authenticator);
    const challenge = await authenticationChallenge();

    await expect(
      verifyAuthenticationResponse({
        response: authenticator.getAssertion({ challenge, rpId: 'phish.example', origin: ORIGIN }),
        expectedChallenge: challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
      }),
    ).rejects.toThrow(/RP ID/);
  });

  it('is rejected when it answers a different challenge', async () => {
    const authenticator = new SoftAuthenticator();
    const { credential } = await register(authenticator);
    const issued = await authenticationChallenge();
    const stale = await authenticationChallenge();

    await expect(
      verifyAuthenticationResponse({
        response: authenticator.getAssertion({ challenge: stale, rpId: RP_ID, origin: ORIGIN }),
        expectedChallenge: issued,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
      }),
    ).rejects.toThrow(/challenge/);
  });

  it('is rejected when the counter goes backwards or repeats', async () => {
    const authenticator = new SoftAuthenticator();
    const { credential } = await register(authenticator);
    for (let use = 0; use < 3; use++) {
      const challenge = await authenticationChallenge();
      const verification = await verifyAuthenticationResponse({
        response: authenticator.getAssertion({ challenge, rpId: RP_ID, origin: ORIGIN }),
        expectedChallenge: challenge,
        expectedOrigin: ORIGIN,
        expectedRPID: RP_ID,
        credential,
      });
      credential.counter = verification.authenticationInfo.newCounter;
    }
    expect(credential.counter).toBe(3);

    for (const clonedCounter of [2, 3]) {
      const challenge = await authenticationChallenge();
      await expect(
        verifyAuthenticationResponse({
          response: authenticator.getAssertion({
            challenge,
            rpId: RP_ID,
            origin: ORIGIN,
            counterOverride: clonedCounter,
          }),
          expectedChallenge: challenge,
          expectedOrigin: ORIGIN,
          expectedRPID: RP_ID,
          credential,
        }),
      ).rejects.toThrow(/counter/);
    }
    // The override imitates a clone; the authenticator's own counter is untouched.
    expect(authenticator.credentials()[0]?.counter).toBe(3);
  });

  it('carries the user handle for a discoverable credential only', async () => {
    const authenticator = new SoftAuthenticator({ signCounter: false });
    const discoverable = await register(authenticator, { residentKey: true });
    const serverSide = await register(authenticator);
    const challenge = await authenticationChallenge();

    const usernameless = authenticator.getAssertion({ challenge, rpId: RP_ID, origin: ORIGIN });
    expect(usernameless.id).toBe(discoverable.credential.id);
    expect(usernameless.response.userHandle).toBe(discoverable.userHandle);
    const verification = await verifyAuthenticationResponse({
      response: usernameless,
      expectedChallenge: challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: discoverable.credential,
    });
    expect(verification.verified).toBe(true);

    const named = authenticator.getAssertion({
      challenge,
      rpId: RP_ID,
      origin: ORIGIN,
      credentialId: serverSide.credential.id,
    });
    expect(named.id).toBe(serverSide.credential.id);
    expect(named.response.userHandle).toBeUndefined();
  });

  it('without user verification, passes only when the server does not require it', async () => {
    const authenticator = new SoftAuthenticator({ userVerification: false });
    const creation = await registrationOptions();
    const registration = await verifyRegistrationResponse({
      response: authenticator.createCredential({
        challenge: creation.challenge,
        rpId: RP_ID,
        origin: ORIGIN,
        userHandle: creation.user.id,
      }),
      expectedChallenge: creation.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      requireUserVerification: false,
    });
    const credential = registration.registrationInfo?.credential;
    if (credential === undefined) throw new Error('registration did not verify');
    const challenge = await authenticationChallenge();
    const response = authenticator.getAssertion({ challenge, rpId: RP_ID, origin: ORIGIN });
    const expectations = {
      response,
      expectedChallenge: challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential,
    };

    await expect(verifyAuthenticationResponse(expectations)).rejects.toThrow(/verification/);
    const lenient = await verifyAuthenticationResponse({ ...expectations, requireUserVerification: false });
    expect(lenient.verified).toBe(true);
    expect(lenient.authenticationInfo.userVerified).toBe(false);
  });

  it('refuses unknown credentials and out-of-range counters', async () => {
    const authenticator = new SoftAuthenticator();
    expect(() => authenticator.getAssertion({ challenge: 'AAAA', rpId: RP_ID, origin: ORIGIN })).toThrow(/no credentials/);
    await register(authenticator);
    expect(() => authenticator.getAssertion({ challenge: 'AAAA', rpId: RP_ID, origin: ORIGIN, credentialId: 'AAAA' })).toThrow(
      /no credential AAAA/,
    );
    expect(() => authenticator.getAssertion({ challenge: 'AAAA', rpId: RP_ID, origin: ORIGIN, counterOverride: -1 })).toThrow(RangeError);
  });
});

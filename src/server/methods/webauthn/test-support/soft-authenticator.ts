/**
 * A software WebAuthn authenticator *and* client for API tests.
 *
 * It produces the JSON a browser would POST after
 * `navigator.credentials.create()` / `.get()` (WebAuthn §5.1.3 and §5.1.4,
 * serialised by Level 3's `PublicKeyCredential.toJSON()` as
 * RegistrationResponseJSON / AuthenticationResponseJSON), signed with real
 * P-256 keys, so the server's verification runs end to end without a browser
 * or a hardware key. Section numbers below are WebAuthn Level 2 unless noted.
 *
 * Deliberately NOT a faithful client: rpId and origin are taken as given
 * instead of being derived from the page, and credentials are not scoped to an
 * RP, so tests can forge the phishing-shaped responses the server must refuse.
 *
 * Test-only: private keys live in memory and nothing here is constant-time.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  AuthenticatorAttachment,
  AuthenticatorTransportFuture,
  Base64URLString,
  RegistrationResponseJSON,
  Uint8Array_,
} from '@simplewebauthn/server';
import { cose, isoBase64URL, isoCBOR, isoUint8Array } from '@simplewebauthn/server/helpers';

export interface SoftAuthenticatorOptions {
  /**
   * The model identifier reported in attested credential data (§6.5.1).
   * Defaults to the all-zero AAGUID: what U2F-era keys report, and what
   * Level 2 clients substituted when the RP asked for "none" attestation
   * (§5.1.3; Level 3 passes the real AAGUID through).
   */
  aaguid?: string;
  /** Whether the UV flag is set, i.e. a PIN or biometric was checked. Default true. */
  userVerification?: boolean;
  /**
   * Whether the authenticator keeps a per-credential signature counter
   * (§6.1.1). Synced passkeys do not: they always report 0, which the spec
   * defines as "no counter" rather than as a replay. Default true.
   */
  signCounter?: boolean;
  /**
   * Report the credential as backup eligible and backed up (the BE and BS
   * flags, Level 3 §6.1 and §6.1.3), as synced passkey providers do. Default
   * false: a device-bound credential, like a security key's.
   */
  backupEligible?: boolean;
  /** How the authenticator is attached to the client (§5.4.5). Default 'cross-platform'. */
  attachment?: AuthenticatorAttachment;
}

export interface CreateCredentialInput {
  /** base64url challenge exactly as the server sent it in the creation options. */
  challenge: Base64URLString;
  rpId: string;
  origin: string;
  /** base64url `user.id` from the creation options (the WebAuthn user handle, §5.4.3). */
  userHandle: Base64URLString;
  /** Create a client-side discoverable credential (a "resident key", §6.2.2). Default false. */
  residentKey?: boolean;
}

export interface GetAssertionInput {
  challenge: Base64URLString;
  rpId: string;
  origin: string;
  /** base64url credential ID to sign with. Default: the first credential created. */
  credentialId?: Base64URLString;
  /**
   * Report this signature counter instead of the authenticator's own, leaving
   * the stored counter untouched, as a cloned authenticator would (§6.1.1).
   */
  counterOverride?: number;
}

export interface SoftCredentialSummary {
  readonly id: Base64URLString;
  readonly userHandle: Base64URLString;
  readonly counter: number;
  readonly discoverable: boolean;
}

interface StoredCredential {
  readonly id: Base64URLString;
  readonly privateKey: KeyObject;
  readonly userHandle: Base64URLString;
  readonly discoverable: boolean;
  counter: number;
}

// Authenticator data flag bits (Level 3 §6.1; bits 1 and 5 are reserved).
const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKUP_STATE = 0x10;
const FLAG_ATTESTED_CREDENTIAL_DATA = 0x40;

const ZERO_AAGUID = '00000000-0000-0000-0000-000000000000';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Credential IDs must hold at least 16 bytes of entropy when random (§4,
// "Credential ID"); 32 bytes matches common platform authenticators.
const CREDENTIAL_ID_BYTES = 32;
// The signature counter is a 32-bit unsigned big-endian integer (§6.1).
const MAX_SIGN_COUNT = 0xffff_ffff;

export class SoftAuthenticator {
  readonly #aaguid: Uint8Array_;
  readonly #userVerification: boolean;
  readonly #signCounter: boolean;
  readonly #backupEligible: boolean;
  readonly #attachment: AuthenticatorAttachment;
  readonly #credentials: StoredCredential[] = [];

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.#aaguid = aaguidBytes(options.aaguid ?? ZERO_AAGUID);
    this.#userVerification = options.userVerification ?? true;
    this.#signCounter = options.signCounter ?? true;
    this.#backupEligible = options.backupEligible ?? false;
    this.#attachment = options.attachment ?? 'cross-platform';
  }

  /** Registers a new ES256 credential and returns what the browser would send, with "none" attestation. */
  createCredential(input: CreateCredentialInput): RegistrationResponseJSON {
    if (!isoBase64URL.isBase64URL(input.userHandle)) {
      throw new TypeError('userHandle must be base64url, as user.id is in the creation options');
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credentialIdBytes = bytes(randomBytes(CREDENTIAL_ID_BYTES));
    const credential: StoredCredential = {
      id: isoBase64URL.fromBuffer(credentialIdBytes),
      privateKey,
      userHandle: input.userHandle,
      discoverable: input.residentKey ?? false,
      counter: 0,
    };

    const authenticatorData = encodeAuthenticatorData({
      rpId: input.rpId,
      flags: this.#presenceFlags() | FLAG_ATTESTED_CREDENTIAL_DATA,
      signCount: credential.counter,
      attestedCredentialData: encodeAttestedCredentialData(this.#aaguid, credentialIdBytes, encodeCoseEs256PublicKey(publicKey)),
    });
    // "none" attestation: fmt "none" with an empty attStmt map (§8.7). Keys are
    // in CTAP2 canonical order (shorter first), as authenticators emit them.
    const emptyAttestationStatement = new Map<string, never>();
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array_ | Map<string, never>>([
        ['fmt', 'none'],
        ['attStmt', emptyAttestationStatement],
        ['authData', authenticatorData],
      ]),
    );

    this.#credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON: encodeClientData('webauthn.create', input),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        // Results of the getAuthenticatorData() / getPublicKey() /
        // getPublicKeyAlgorithm() getters (§5.2.1.1), which toJSON() includes.
        authenticatorData: isoBase64URL.fromBuffer(authenticatorData),
        publicKeyAlgorithm: cose.COSEALG.ES256,
        publicKey: isoBase64URL.fromBuffer(bytes(publicKey.export({ format: 'der', type: 'spki' }))),
        transports: this.#transports(),
      },
      authenticatorAttachment: this.#attachment,
      clientExtensionResults: {},
    };
  }

  /** Signs an assertion (§6.3.3) with a stored credential and returns what the browser would send. */
  getAssertion(input: GetAssertionInput): AuthenticationResponseJSON {
    const credential = this.#findCredential(input.credentialId);
    const signCount = this.#nextSignCount(credential, input.counterOverride);
    const authenticatorData = encodeAuthenticatorData({
      rpId: input.rpId,
      flags: this.#presenceFlags(),
      signCount,
    });
    const clientDataJSON = encodeClientData('webauthn.get', input);
    // The assertion signature covers authenticatorData || SHA-256(clientDataJSON)
    // (§6.3.3 step 11); ES256 signatures travel as an ASN.1 DER Ecdsa-Sig-Value
    // (§6.5.5, RFC 3279 §2.2.3), which is node:crypto's default encoding.
    const signedData = isoUint8Array.concat([authenticatorData, sha256(isoBase64URL.toBuffer(clientDataJSON))]);
    const signature = bytes(sign('sha256', signedData, credential.privateKey));

    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: isoBase64URL.fromBuffer(authenticatorData),
        signature: isoBase64URL.fromBuffer(signature),
        // A discoverable credential must return its user handle, since the RP
        // learns the user from it; one the RP named in allowCredentials may
        // omit it (§6.3.3 step 12), as most security keys do.
        ...(credential.discoverable ? { userHandle: credential.userHandle } : {}),
      },
      authenticatorAttachment: this.#attachment,
      clientExtensionResults: {},
    };
  }

  credentials(): readonly SoftCredentialSummary[] {
    return this.#credentials.map(({ id, userHandle, counter, discoverable }) => Object.freeze({ id, userHandle, counter, discoverable }));
  }

  #findCredential(credentialId: Base64URLString | undefined): StoredCredential {
    const credential =
      credentialId === undefined ? this.#credentials[0] : this.#credentials.find((candidate) => candidate.id === credentialId);
    if (credential === undefined) {
      throw new Error(
        credentialId === undefined ? 'SoftAuthenticator holds no credentials yet' : `SoftAuthenticator holds no credential ${credentialId}`,
      );
    }
    return credential;
  }

  #nextSignCount(credential: StoredCredential, counterOverride: number | undefined): number {
    if (counterOverride !== undefined) {
      if (!Number.isInteger(counterOverride) || counterOverride < 0 || counterOverride > MAX_SIGN_COUNT) {
        throw new RangeError(`counterOverride must be a 32-bit unsigned integer, got ${counterOverride}`);
      }
      return counterOverride;
    }
    if (!this.#signCounter) {
      return 0;
    }
    // Incremented before signing, so the first assertion after registration reports 1.
    credential.counter += 1;
    return credential.counter;
  }

  #presenceFlags(): number {
    let flags = FLAG_USER_PRESENT;
    if (this.#userVerification) flags |= FLAG_USER_VERIFIED;
    // A synced passkey is both eligible for and in backup; BS without BE is
    // invalid (Level 3 §6.1.3) and the server library rejects it.
    if (this.#backupEligible) flags |= FLAG_BACKUP_ELIGIBLE | FLAG_BACKUP_STATE;
    return flags;
  }

  #transports(): AuthenticatorTransportFuture[] {
    // What Chrome reports: a platform passkey is also reachable from another
    // device over hybrid (caBLE); a roaming key here stands in for a USB key.
    return this.#attachment === 'platform' ? ['hybrid', 'internal'] : ['usb'];
  }
}

/** Serialises CollectedClientData in the member order of §5.8.1.1, as browsers do. */
function encodeClientData(
  type: 'webauthn.create' | 'webauthn.get',
  input: { challenge: Base64URLString; origin: string },
): Base64URLString {
  const clientData = { type, challenge: input.challenge, origin: input.origin, crossOrigin: false };
  return isoBase64URL.fromUTF8String(JSON.stringify(clientData));
}

/** rpIdHash (32) ‖ flags (1) ‖ signCount (4, big-endian) ‖ attestedCredentialData? — §6.1. */
function encodeAuthenticatorData(parts: {
  rpId: string;
  flags: number;
  signCount: number;
  attestedCredentialData?: Uint8Array_;
}): Uint8Array_ {
  const header = new Uint8Array(1 + 4);
  const view = new DataView(header.buffer);
  view.setUint8(0, parts.flags);
  view.setUint32(1, parts.signCount, false);
  return isoUint8Array.concat([
    sha256(isoUint8Array.fromUTF8String(parts.rpId)),
    header,
    ...(parts.attestedCredentialData ? [parts.attestedCredentialData] : []),
  ]);
}

/** aaguid (16) ‖ credentialIdLength (2, big-endian) ‖ credentialId ‖ COSE_Key — §6.5.1. */
function encodeAttestedCredentialData(aaguid: Uint8Array_, credentialId: Uint8Array_, cosePublicKey: Uint8Array_): Uint8Array_ {
  const length = new Uint8Array(2);
  new DataView(length.buffer).setUint16(0, credentialId.byteLength, false);
  return isoUint8Array.concat([aaguid, length, credentialId, cosePublicKey]);
}

/**
 * An EC2 COSE_Key for ES256 (RFC 9052 §7, RFC 9053 §2.1 and §7.1.1): kty 2,
 * alg -7, crv 1 (P-256) and the affine coordinates as 32-byte strings.
 * Map entries are inserted in CTAP2 canonical CBOR order (1, 3, -1, -2, -3).
 */
function encodeCoseEs256PublicKey(publicKey: KeyObject): Uint8Array_ {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) {
    throw new Error('P-256 public key exported without coordinates');
  }
  return isoCBOR.encode(
    new Map<number, number | Uint8Array_>([
      [cose.COSEKEYS.kty, cose.COSEKTY.EC2],
      [cose.COSEKEYS.alg, cose.COSEALG.ES256],
      [cose.COSEKEYS.crv, cose.COSECRV.P256],
      [cose.COSEKEYS.x, isoBase64URL.toBuffer(jwk.x)],
      [cose.COSEKEYS.y, isoBase64URL.toBuffer(jwk.y)],
    ]),
  );
}

function aaguidBytes(aaguid: string): Uint8Array_ {
  if (!UUID_PATTERN.test(aaguid)) {
    throw new TypeError(`AAGUID must be a UUID string, got "${aaguid}"`);
  }
  return isoUint8Array.fromHex(aaguid.replaceAll('-', '').toLowerCase());
}

function sha256(data: Uint8Array_): Uint8Array_ {
  return bytes(createHash('sha256').update(data).digest());
}

/** Copies a Node Buffer into a plain ArrayBuffer-backed Uint8Array, the type the helpers expect. */
function bytes(buffer: Uint8Array): Uint8Array_ {
  return new Uint8Array(buffer);
}

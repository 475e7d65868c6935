import type * as SimpleWebAuthnServer from '@simplewebauthn/server';

let loaded: Promise<typeof SimpleWebAuthnServer> | undefined;

/**
 * @simplewebauthn/server, with the ASN.1 and X.509 packages it brings, is loaded
 * at the first WebAuthn request instead of at every start: it is the largest part
 * of the server's code, and most requests never need it (docs/reference.md#server-start).
 */
export function simpleWebAuthn(): Promise<typeof SimpleWebAuthnServer> {
  loaded ??= import('@simplewebauthn/server');
  return loaded;
}

/** Base64url without padding, as WebAuthn and @simplewebauthn/server write binary values. */
export const base64url = {
  fromBytes: (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url'),
  toBytes: (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.from(text, 'base64url')),
};

import { hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One master key from configuration; purpose-bound subkeys are derived from it
 * with HKDF (RFC 5869), so a key used for encryption is never also used for
 * hashing codes or app passwords.
 */
export interface KeyRing {
  encryption: Buffer;
  codeHashing: Buffer;
  appPasswordHashing: Buffer;
  temporaryAccessPassHashing: Buffer;
  recoveryCodeHashing: Buffer;
  /** Signs the "this wasn't me" links in security-info e-mails. */
  thisWasntMeSigning: Buffer;
}

export function deriveKeyRing(masterKey: Buffer): KeyRing {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  return {
    encryption: derive('secinfo/v1/encryption'),
    codeHashing: derive('secinfo/v1/code-hashing'),
    appPasswordHashing: derive('secinfo/v1/app-password-hashing'),
    temporaryAccessPassHashing: derive('secinfo/v1/temporary-access-pass-hashing'),
    recoveryCodeHashing: derive('secinfo/v1/recovery-code-hashing'),
    thisWasntMeSigning: derive('secinfo/v1/this-wasnt-me-signing'),
  };
}

/**
 * The master key: from SECRET_KEY (base64, 32 bytes) when set; otherwise, for
 * the embedded default, generated on first run and kept beside the database
 * with owner-only permissions.
 */
export function loadMasterKey(options: { secretKey?: string; keyFile: string; production: boolean }): Buffer {
  if (options.secretKey) {
    const key = Buffer.from(options.secretKey, 'base64');
    if (key.length !== 32) throw new Error('SECRET_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  if (existsSync(options.keyFile)) {
    const key = Buffer.from(readFileSync(options.keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${options.keyFile} does not hold a 32-byte base64 key`);
    return key;
  }
  const key = randomBytes(32);
  mkdirSync(dirname(options.keyFile), { recursive: true });
  writeFileSync(options.keyFile, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

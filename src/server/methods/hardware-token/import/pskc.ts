import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { TokenImportProblem } from '../../../../shared/api/hardware-token.ts';
import type { TokenAlgorithm, TokenKind } from '../schema.ts';
import { emptyToNull, normalizeSerial, TOKEN_PERIODS, type ParsedFile } from './parsed-token.ts';

/**
 * Reads a PSKC file (RFC 6030): key packages of HOTP and TOTP tokens, their secrets in plain
 * text or encrypted with a pre-shared AES-128-CBC key (§6.1), MAC-checked where the file has
 * a MAC (§6.1.1). A file with a document type declaration is refused before parsing: no
 * entity is ever expanded or fetched (XXE, "billion laughs").
 */

type Node = Record<string, unknown>;
type Reason = TokenImportProblem['reason'];

const AES128_CBC = 'http://www.w3.org/2001/04/xmlenc#aes128-cbc';
const MAC_ALGORITHMS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#hmac-sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#hmac-sha512': 'sha512',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'KeyPackage',
});

const child = (node: unknown, name: string): Node | undefined => {
  const value = typeof node === 'object' && node !== null ? (node as Node)[name] : undefined;
  return typeof value === 'object' && value !== null ? (value as Node) : undefined;
};
/** An element's text, whether or not it also has attributes. */
const text = (node: unknown, name: string): string | undefined => {
  const value = typeof node === 'object' && node !== null ? (node as Node)[name] : undefined;
  if (typeof value === 'string') return value;
  const inner = child(node, name)?.['#text'];
  return typeof inner === 'string' ? inner : undefined;
};
const attribute = (node: Node | undefined, name: string): string | undefined => {
  const value = node?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
};

function base64(value: string | undefined): Buffer | null {
  const clean = value?.replace(/\s/g, '') ?? '';
  if (!clean || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  return Buffer.from(clean, 'base64');
}

/** §6.1: the IV is the first 16 bytes of CipherValue; PKCS #7 padding. */
function decryptAes128Cbc(key: Buffer, encrypted: Node | undefined): { plain: Buffer; cipherValue: Buffer } | Reason {
  if (attribute(child(encrypted, 'EncryptionMethod'), 'Algorithm') !== AES128_CBC) return 'unsupported_algorithm';
  const cipherValue = base64(text(child(encrypted, 'CipherData'), 'CipherValue'));
  if (!cipherValue || cipherValue.length < 32 || cipherValue.length % 16 !== 0) return 'bad_base64';
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, cipherValue.subarray(0, 16));
    return { plain: Buffer.concat([decipher.update(cipherValue.subarray(16)), decipher.final()]), cipherValue };
  } catch {
    // Bad padding: almost always a key other than the one the file was encrypted with.
    return 'wrong_key';
  }
}

function algorithmOf(key: Node): { kind: TokenKind; algorithm: TokenAlgorithm } | null {
  const uri = attribute(key, 'Algorithm') ?? '';
  const kind = /[:#]hotp$/i.test(uri) ? 'hotp' : /[:#]totp$/i.test(uri) ? 'totp' : null;
  if (!kind) return null;
  const suite = (text(child(key, 'AlgorithmParameters'), 'Suite') ?? 'SHA1').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const algorithm = (['SHA1', 'SHA256', 'SHA512'] as const).find((a) => suite === a || suite === `HMAC${a}`);
  return algorithm ? { kind, algorithm } : null;
}

const plainInteger = (data: Node | undefined, name: string): number | null | undefined => {
  const node = child(data, name);
  if (!node && text(data, name) === undefined) return undefined;
  const value = text(node, 'PlainValue');
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null;
};

export function parsePskc(content: string, preSharedKeyHex?: string): ParsedFile {
  if (/<!DOCTYPE/i.test(content)) return { tokens: [], problems: [{ reason: 'dtd_not_allowed', element: 'KeyContainer' }] };
  const valid = XMLValidator.validate(content);
  if (valid !== true) return { tokens: [], problems: [{ reason: 'malformed_file', line: valid.err.line }] };
  const container = child(parser.parse(content) as Node, 'KeyContainer');
  if (!container) return { tokens: [], problems: [{ reason: 'malformed_file', element: 'KeyContainer' }] };

  const file: ParsedFile = { tokens: [], problems: [] };
  const psk = preSharedKeyHex ? Buffer.from(preSharedKeyHex, 'hex') : null;
  const packages = (container.KeyPackage as Node[] | undefined) ?? [];
  const encrypted = packages.some((p) => child(child(child(p, 'Key'), 'Data'), 'Secret')?.EncryptedValue !== undefined);
  // Encrypted secrets need the pre-shared key; without it (or with a wrong one) none can be read.
  let secretsReadable = true;
  let mac: { key: Buffer; hash: string } | null = null;
  if (encrypted && !psk) {
    file.problems.push({ reason: 'key_required', element: 'EncryptionKey' });
    secretsReadable = false;
  } else if (psk) {
    const method = child(container, 'MACMethod');
    if (method) {
      const hash = MAC_ALGORITHMS[attribute(method, 'Algorithm') ?? ''];
      const macKey = decryptAes128Cbc(psk, child(method, 'MACKey'));
      if (!hash) file.problems.push({ reason: 'unsupported_algorithm', element: 'MACMethod' });
      else if (typeof macKey === 'string') file.problems.push({ reason: macKey, element: 'MACMethod' });
      else mac = { key: macKey.plain, hash };
      secretsReadable = mac !== null;
    } else if (text(container, 'MACAlgorithm')) {
      // Drafts before RFC 6030 named only the algorithm; the MAC key was the pre-shared key.
      mac = { key: psk, hash: MAC_ALGORITHMS[text(container, 'MACAlgorithm')!.trim()] ?? 'sha1' };
    }
  }

  packages.forEach((pkg, index) => {
    const element = `KeyPackage[${index + 1}]`;
    const device = child(pkg, 'DeviceInfo');
    const key = child(pkg, 'Key');
    const data = child(key, 'Data');
    const serial = normalizeSerial(text(device, 'SerialNo') ?? '');
    const fail = (reason: Reason) => file.problems.push({ element, reason, ...(serial ? { serial } : {}) });
    const secretNode = child(data, 'Secret');
    if (!key || !serial || !secretNode) return fail('missing_field');
    const algorithm = algorithmOf(key);
    if (!algorithm) return fail('unsupported_algorithm');
    const format = child(child(key, 'AlgorithmParameters'), 'ResponseFormat');
    const encoding = attribute(format, 'Encoding');
    if (encoding && encoding.toUpperCase() !== 'DECIMAL') return fail('unsupported_algorithm');
    const digits = Number(attribute(format, 'Length') ?? '6');
    if (digits !== 6 && digits !== 8) return fail('bad_digits');
    const counter = plainInteger(data, 'Counter');
    if (counter === null) return fail('bad_counter');
    const interval = plainInteger(data, 'TimeInterval');
    const period = interval ?? 30;
    if (algorithm.kind === 'totp' && !TOKEN_PERIODS.some((p) => p === period)) return fail('bad_interval');

    let secret: Buffer;
    const encryptedValue = child(secretNode, 'EncryptedValue');
    if (encryptedValue) {
      if (!secretsReadable || !psk) return;
      const decrypted = decryptAes128Cbc(psk, encryptedValue);
      if (typeof decrypted === 'string') return fail(decrypted);
      const valueMac = text(secretNode, 'ValueMAC');
      if (mac && valueMac !== undefined) {
        // §6.1.1: the MAC is over the whole CipherValue, IV included.
        const expected = createHmac(mac.hash, mac.key).update(decrypted.cipherValue).digest();
        const given = base64(valueMac);
        if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) return fail('mac_mismatch');
      }
      secret = decrypted.plain;
    } else {
      const plain = base64(text(secretNode, 'PlainValue'));
      if (!plain) return fail('bad_base64');
      secret = plain;
    }
    file.tokens.push({
      serial,
      secret: new Uint8Array(secret),
      ...algorithm,
      digits,
      period,
      counter: counter ?? 0,
      manufacturer: emptyToNull(text(device, 'Manufacturer')),
      model: emptyToNull(text(device, 'Model')),
      upn: emptyToNull(text(key, 'UserId') ?? text(device, 'UserId')),
      where: { element },
    });
  });
  if (packages.length === 0 && file.problems.length === 0) file.problems.push({ reason: 'missing_field', element: 'KeyPackage' });
  return file;
}

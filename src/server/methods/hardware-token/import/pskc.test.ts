import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePskc } from './pskc.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const ascii = (text: string) => new TextEncoder().encode(text);
// RFC 6030 §6.1's example key.
const PRE_SHARED_KEY = '12345678901234567890123456789012';

describe('PSKC (RFC 6030)', () => {
  it('reads a plain-text secret (Figure 2)', () => {
    const { tokens, problems } = parsePskc(fixture('plain.pskc.xml'));
    expect(problems).toEqual([]);
    expect(tokens).toEqual([
      {
        serial: '987654321',
        secret: ascii('12345678901234567890'),
        kind: 'hotp',
        algorithm: 'SHA1',
        digits: 8,
        period: 30,
        counter: 0,
        manufacturer: 'Manufacturer',
        model: null,
        upn: null,
        where: { element: 'KeyPackage[1]' },
      },
    ]);
  });

  it('decrypts a secret with the pre-shared key and checks its MAC (Figure 6)', () => {
    const { tokens, problems } = parsePskc(fixture('encrypted.pskc.xml'), PRE_SHARED_KEY);
    expect(problems).toEqual([]);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.secret).toEqual(ascii('12345678901234567890'));
  });

  it('reads several devices, each with its algorithm, digits, time step and counter', () => {
    const { tokens, problems } = parsePskc(fixture('several.pskc.xml'));
    expect(problems).toEqual([]);
    expect(
      tokens.map(({ serial, kind, algorithm, digits, period, counter, upn, model }) => ({
        serial,
        kind,
        algorithm,
        digits,
        period,
        counter,
        upn,
        model,
      })),
    ).toEqual([
      { serial: 'HOTP-0001', kind: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter: 5, upn: null, model: 'Fob H1' },
      { serial: 'TOTP-0002', kind: 'totp', algorithm: 'SHA256', digits: 8, period: 60, counter: 0, upn: 'ada', model: 'Card T8' },
      { serial: 'TOTP-0003', kind: 'totp', algorithm: 'SHA512', digits: 6, period: 30, counter: 0, upn: null, model: 'Fob T6' },
    ]);
  });

  it('says so when the pre-shared key is wrong, or missing', () => {
    expect(parsePskc(fixture('encrypted.pskc.xml'), 'ffffffffffffffffffffffffffffffff')).toEqual({
      tokens: [],
      problems: [{ element: 'MACMethod', reason: 'wrong_key' }],
    });
    expect(parsePskc(fixture('encrypted.pskc.xml'))).toEqual({
      tokens: [],
      problems: [{ element: 'EncryptionKey', reason: 'key_required' }],
    });
  });

  it('refuses a key package whose MAC does not match', () => {
    expect(parsePskc(fixture('tampered-mac.pskc.xml'), PRE_SHARED_KEY)).toEqual({
      tokens: [],
      problems: [{ element: 'KeyPackage[1]', serial: '987654321', reason: 'mac_mismatch' }],
    });
  });

  it('names unsupported algorithms and bad digits per key package', () => {
    const xml = fixture('several.pskc.xml')
      .replace('HMAC-SHA256', 'HMAC-MD5')
      .replace('pskc:hotp', 'pskc:ocra')
      .replace(/Length="6"(?![\s\S]*Length="6")/, 'Length="7"');
    expect(parsePskc(xml).problems).toEqual([
      { element: 'KeyPackage[1]', serial: 'HOTP-0001', reason: 'unsupported_algorithm' },
      { element: 'KeyPackage[2]', serial: 'TOTP-0002', reason: 'unsupported_algorithm' },
      { element: 'KeyPackage[3]', serial: 'TOTP-0003', reason: 'bad_digits' },
    ]);
  });

  it('refuses document type declarations (no entity is expanded) and malformed XML', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><KeyContainer>&lol2;</KeyContainer>`;
    expect(parsePskc(bomb).problems).toEqual([{ element: 'KeyContainer', reason: 'dtd_not_allowed' }]);
    expect(parsePskc('<KeyContainer><KeyPackage></KeyContainer>').problems).toEqual([{ line: 1, reason: 'malformed_file' }]);
  });
});

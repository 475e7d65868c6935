import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed with the same associated data', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:m1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'totp:m1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh nonce each time', () => {
    expect(box.seal('x', 'a')).not.toBe(box.seal('x', 'a'));
  });

  it('refuses a value moved to another row', () => {
    const sealed = box.seal('secret', 'totp:m1');
    expect(() => box.open(sealed, 'totp:m2')).toThrow();
  });

  it('refuses a tampered value and another key', () => {
    const sealed = box.seal('secret', 'a');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join('.'), 'a')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'a')).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('password hashing', () => {
  it('uses Argon2id with the OWASP minimum parameters and a random salt', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password only, and never throws on a bad hash', async () => {
    const stored = await hashPassword('s3cret-Pass');
    expect(await verifyPassword(stored, 's3cret-Pass')).toBe(true);
    expect(await verifyPassword(stored, 's3cret-pass')).toBe(false);
    expect(await verifyPassword('not-a-hash', 's3cret-Pass')).toBe(false);
    expect(await verifyPassword(undefined, 's3cret-Pass')).toBe(false);
  });
});

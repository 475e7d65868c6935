import { describe, expect, it } from 'vitest';
import { groupSecret } from './group-secret.ts';

describe('groupSecret', () => {
  it('groups a 32-character key in eights of four', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
  });
  it('keeps a short tail', () => {
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('')).toBe('');
  });
});

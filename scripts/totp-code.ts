// Prints the current authenticator-app code for a base32 secret, e.g. a demo account's:
//   npm run totp -- JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP
import { totpCode } from '../src/server/methods/authenticator/totp.ts';

const secret = process.argv[2];
if (!secret) {
  console.error('Usage: npm run totp -- <base32 secret>');
  process.exit(2);
}
const now = Date.now();
const remaining = 30 - (Math.floor(now / 1000) % 30);
console.log(`${totpCode(secret.replace(/\s/g, '').toUpperCase(), now)}  (valid for ${remaining} more s)`);

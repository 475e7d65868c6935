import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, isoDate, methodLabelSchema, methodSummarySchema, otpCodeSchema } from './common.ts';

export const startAuthenticatorSetup = endpoint({
  method: 'POST',
  path: '/api/methods/authenticator/setup',
  tag: 'authenticator',
  summary: 'Issue a new TOTP secret (RFC 6238) to add or reconfigure an authenticator app',
  body: z.strictObject({ replaceMethodId: idSchema.optional() }),
  guard: guards.changing,
  response: z.object({
    setupId: idSchema,
    /** Base32 (RFC 4648) secret, shown once for manual entry. */
    secret: z.string(),
    otpauthUri: z.string(),
    issuer: z.string(),
    accountName: z.string(),
    expiresAt: isoDate,
  }),
});

export const confirmAuthenticatorSetup = endpoint({
  method: 'POST',
  path: '/api/methods/authenticator/confirm',
  tag: 'authenticator',
  summary: 'Save the authenticator app once the user proves it with a current code',
  body: z.strictObject({ setupId: idSchema, code: otpCodeSchema, label: methodLabelSchema }),
  guard: guards.managing,
  response: z.object({ method: methodSummarySchema }),
});

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { z } from 'zod/mini';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, methodLabelSchema, methodSummarySchema } from './common.ts';
import { registrationResponseSchema } from './webauthn.ts';

/*
 * Passkeys beyond registering and using them (docs/reference.md#stronger-methods-first): what the
 * browser's Signal API needs to keep password managers in step with the server, and the passkey
 * upgrade right after a sign-in with a password.
 */

const b64url = z.string().check(z.minLength(1), z.maxLength(1400), z.regex(/^[A-Za-z0-9_-]+$/));

/** The user's passkeys as the WebAuthn Signal API names them (WebAuthn L3 §5.1.10): RP ID, user handle, credential IDs. */
export const acceptedCredentialsSchema = z.object({
  rpId: z.string(),
  /** The user handle (base64url) the credentials were created with. */
  userId: b64url,
  credentials: z.array(z.object({ methodId: idSchema, credentialId: b64url })),
});
export type AcceptedCredentials = z.infer<typeof acceptedCredentialsSchema>;

export const getAcceptedCredentials = endpoint({
  method: 'GET',
  path: '/api/methods/webauthn/accepted-credentials',
  tag: 'webauthn',
  summary: 'The signed-in user’s passkey credential IDs and user handle, for the browser’s Signal API',
  guard: guards.managing,
  response: acceptedCredentialsSchema,
});

const creationOptions = z.custom<PublicKeyCredentialCreationOptionsJSON>(
  (v) => typeof v === 'object' && v !== null && 'challenge' in v && typeof v.challenge === 'string',
);

export const startPasskeyUpgrade = endpoint({
  method: 'POST',
  path: '/api/methods/webauthn/upgrade/options',
  tag: 'webauthn',
  summary: 'Creation options for a passkey the password manager saves without a prompt, right after a password sign-in',
  body: z.strictObject({}),
  guard: guards.signedIn,
  response: z.object({ challengeId: idSchema, options: creationOptions }),
});

export const finishPasskeyUpgrade = endpoint({
  method: 'POST',
  path: '/api/methods/webauthn/upgrade/verify',
  tag: 'webauthn',
  summary: 'Verify and save the passkey the password manager created',
  body: z.strictObject({
    challengeId: idSchema,
    /** Used when the password manager is not known from its AAGUID. */
    fallbackLabel: methodLabelSchema,
    response: registrationResponseSchema,
  }),
  guard: guards.signedIn,
  response: z.object({ method: methodSummarySchema }),
});

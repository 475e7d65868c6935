import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { idSchema, methodLabelSchema, methodSummarySchema } from './common.ts';
import { sessionInfoSchema } from './session.ts';

/*
 * The browser's JSON forms of PublicKeyCredential (WebAuthn Level 3 §5.1,
 * toJSON). Bounded, so a hostile client cannot make the server parse
 * megabytes; the cryptographic checks are @simplewebauthn/server's.
 */
const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/);
const transports = z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])).max(8);
// The extension outputs this server may read; others are dropped (WebAuthn L3 §9).
const extensionResults = z
  .object({
    appid: z.boolean().optional(),
    credProps: z.object({ rk: z.boolean().optional() }).optional(),
    hmacCreateSecret: z.boolean().optional(),
  })
  .optional();

export const registrationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16_384),
    authenticatorData: b64url(8192).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(4096).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
});

export const authenticationResponseSchema = z.object({
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(8192),
    signature: b64url(1024),
    userHandle: b64url(256).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: extensionResults,
});

/**
 * Options exactly as @simplewebauthn/browser's start*() take them. The server
 * builds them with @simplewebauthn/server, so their shape is that library's
 * (WebAuthn L3 §5.4, §5.5); the contract checks only that a challenge is there
 * and carries the library's own type, so neither side casts.
 */
const ceremonyOptions = <T>() =>
  z.custom<T>((v) => typeof v === 'object' && v !== null && 'challenge' in v && typeof v.challenge === 'string');
const creationStart = z.object({ challengeId: idSchema, options: ceremonyOptions<PublicKeyCredentialCreationOptionsJSON>() });
const requestStart = z.object({ challengeId: idSchema, options: ceremonyOptions<PublicKeyCredentialRequestOptionsJSON>() });

export const startWebAuthnRegistration = endpoint({
  method: 'POST',
  path: '/api/methods/webauthn/registration/options',
  tag: 'webauthn',
  summary: 'Creation options for a new security key or passkey (resident key preferred, user verification required)',
  body: z.strictObject({}),
  guard: guards.changing,
  response: creationStart,
});

export const finishWebAuthnRegistration = endpoint({
  method: 'POST',
  path: '/api/methods/webauthn/registration/verify',
  tag: 'webauthn',
  summary: 'Verify the new credential and save it',
  body: z.strictObject({
    challengeId: idSchema,
    /** Used when the authenticator's model is not known from its AAGUID. */
    fallbackLabel: methodLabelSchema,
    response: registrationResponseSchema,
  }),
  guard: guards.managing,
  response: z.object({ method: methodSummarySchema }),
});

export const startWebAuthnVerification = endpoint({
  method: 'POST',
  path: '/api/auth/webauthn/options',
  tag: 'webauthn',
  summary: 'Request options to verify the signed-in (or half-signed-in) user with one of their keys',
  body: z.strictObject({}),
  guard: guards.verifying,
  response: requestStart,
});

export const finishWebAuthnVerification = endpoint({
  method: 'POST',
  path: '/api/auth/webauthn/verify',
  tag: 'webauthn',
  summary: 'Second step of sign-in, or re-verification, with a security key or passkey',
  body: z.strictObject({ challengeId: idSchema, response: authenticationResponseSchema }),
  guard: guards.verifying,
  response: sessionInfoSchema,
});

export const startPasskeySignIn = endpoint({
  method: 'POST',
  path: '/api/auth/passkey/options',
  tag: 'webauthn',
  summary: 'Request options for a passwordless sign-in with a discoverable credential',
  body: z.strictObject({}),
  response: requestStart,
});

export const finishPasskeySignIn = endpoint({
  method: 'POST',
  path: '/api/auth/passkey/verify',
  tag: 'webauthn',
  summary: 'Passwordless sign-in: a passkey with user verification proves both factors',
  body: z.strictObject({ challengeId: idSchema, response: authenticationResponseSchema }),
  response: sessionInfoSchema,
});

import { z } from 'zod';

export const methodKinds = ['authenticator', 'phone', 'webauthn', 'hardware_token'] as const;
export const methodKindSchema = z.enum(methodKinds);
export type MethodKind = z.infer<typeof methodKindSchema>;

/**
 * The organisation's method policy. Defaults follow the reference FAQ
 * (see docs/reference.md): 5 sends per 5 minutes, 180 s code lifetime,
 * app passwords off unless legacy clients exist, up to 5 authenticator apps.
 */
export const orgPolicySchema = z.object({
  requireMfa: z.boolean().default(true),
  /** How long after a second-factor verification security info may change. */
  reauthWindowSeconds: z.number().int().min(60).max(3600).default(600),
  enabledMethods: z
    .object({
      authenticator: z.boolean().default(true),
      phone: z.boolean().default(true),
      webauthn: z.boolean().default(true),
      hardware_token: z.boolean().default(true),
    })
    .prefault({}),
  authenticatorMaxPerUser: z.number().int().min(1).max(10).default(5),
  codeLifetimeSeconds: z.number().int().min(60).max(600).default(180),
  sendLimit: z
    .object({
      count: z.number().int().min(1).max(20).default(5),
      windowSeconds: z.number().int().min(60).max(3600).default(300),
    })
    .prefault({}),
  appPasswords: z
    .object({
      allowed: z.boolean().default(false),
      maxPerUser: z.number().int().min(1).max(100).default(40),
    })
    .prefault({}),
});
export type OrgPolicy = z.infer<typeof orgPolicySchema>;
export const defaultOrgPolicy: OrgPolicy = orgPolicySchema.parse({});

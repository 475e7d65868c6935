import { z } from 'zod';

export const methodKinds = ['authenticator', 'phone', 'webauthn', 'hardware_token'] as const;
export const methodKindSchema = z.enum(methodKinds);
export type MethodKind = z.infer<typeof methodKindSchema>;

/**
 * The organisation's method policy. Defaults follow the reference FAQ
 * (docs/reference.md#delivery-limits, #code-lifetime, #app-passwords): 5 sends
 * per 5 minutes, 180 s code lifetime, app passwords off unless legacy clients
 * exist, up to 5 authenticator apps.
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
  /** Phones in detail, on top of `enabledMethods.phone`: codes by text or by call, and the phones that are only called. */
  phoneOptions: z
    .object({
      sms: z.boolean().default(true),
      voice: z.boolean().default(true),
      alternate: z.boolean().default(true),
      office: z.boolean().default(true),
    })
    .prefault({}),
  registration: z
    .object({
      /** How many methods a user registers before the interruption lets them go (the reference product nudges towards two). */
      methodsRequired: z.union([z.literal(1), z.literal(2)]).default(1),
      /**
       * A user left with no usable method (their only kind turned off) gets in with a temporary
       * access pass from an administrator, or registers again right after the password.
       */
      whenNoUsableMethod: z.enum(['temporary_access_pass', 'register_after_password']).default('temporary_access_pass'),
    })
    .prefault({}),
  /** Temporary access passes an administrator issues (docs/reference.md#admin-reset). */
  temporaryAccessPass: z
    .object({
      enabled: z.boolean().default(true),
      /** 10 minutes to 30 days. */
      defaultLifetimeMinutes: z.number().int().min(10).max(43_200).default(60),
      /** Characters in a pass, 8 to 48. */
      length: z.number().int().min(8).max(48).default(16),
      oneTimeByDefault: z.boolean().default(true),
    })
    .prefault({}),
  /** Recovery codes a user generates for the day their methods are out of reach (docs/reference.md#recovery-codes). */
  recoveryCodes: z
    .object({
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  /** Passwords people choose themselves (docs/reference.md#new-passwords): NIST SP 800-63B §5.1.1.2 asks for 8 at least. */
  passwords: z
    .object({
      minLength: z.number().int().min(8).max(64).default(12),
    })
    .prefault({}),
  /** Self-service password reset with registered methods (docs/reference.md#self-service-password-reset). */
  passwordReset: z
    .object({
      enabled: z.boolean().default(false),
      /** With 2, two different methods. */
      methodsRequired: z.union([z.literal(1), z.literal(2)]).default(1),
    })
    .prefault({}),
  /** Moving people from phones towards stronger methods (docs/reference.md#stronger-methods-first). */
  strongerMethods: z
    .object({
      /** The second step asks first for the strongest usable method, not the default (as the reference product now does). */
      systemPreferred: z.boolean().default(true),
      /** A user whose only methods are phones is invited, after sign-in, to add a passkey or an authenticator app. */
      nudge: z.boolean().default(true),
      /** Right after a password and second-step sign-in, the password manager may save a passkey without a prompt. */
      passkeyUpgrade: z.boolean().default(false),
    })
    .prefault({}),
});
export type OrgPolicy = z.infer<typeof orgPolicySchema>;
export const defaultOrgPolicy: OrgPolicy = orgPolicySchema.parse({});

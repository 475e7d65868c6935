import { z } from 'zod';
import { orgPolicySchema, type OrgPolicy } from '../../../../shared/policy.ts';

/**
 * The policy page's fields, grouped, and the form's draft: every field by its dotted path in the
 * policy, numbers kept as typed so a wrong value reaches validation instead of vanishing.
 */
type TogglePath =
  | 'requireMfa'
  | `enabledMethods.${'authenticator' | 'phone' | 'webauthn' | 'hardware_token'}`
  | `phoneOptions.${'sms' | 'voice' | 'alternate' | 'office'}`
  | 'appPasswords.allowed'
  | 'temporaryAccessPass.enabled'
  | 'temporaryAccessPass.oneTimeByDefault'
  | 'recoveryCodes.enabled'
  | 'passwordReset.enabled'
  | `strongerMethods.${'systemPreferred' | 'nudge' | 'passkeyUpgrade'}`;
type NumberPath =
  | 'reauthWindowSeconds'
  | 'authenticatorMaxPerUser'
  | 'codeLifetimeSeconds'
  | 'sendLimit.count'
  | 'sendLimit.windowSeconds'
  | 'appPasswords.maxPerUser'
  | 'temporaryAccessPass.defaultLifetimeMinutes'
  | 'temporaryAccessPass.length'
  | 'passwords.minLength';

export const methodsRequiredOptions = ['1', '2'] as const;
export const whenNoUsableMethodOptions = ['temporary_access_pass', 'register_after_password'] as const;

export type PolicyField =
  | { path: TogglePath; kind: 'toggle' }
  | { path: NumberPath; kind: 'number' }
  | { path: 'registration.methodsRequired' | 'passwordReset.methodsRequired'; kind: 'choice'; options: typeof methodsRequiredOptions }
  | { path: 'registration.whenNoUsableMethod'; kind: 'choice'; options: typeof whenNoUsableMethodOptions };

export const policyGroupIds = [
  'signIn',
  'methods',
  'phones',
  'codes',
  'appPasswords',
  'registration',
  'temporaryAccessPass',
  'recoveryCodes',
  'passwordReset',
  'strongerMethods',
] as const;
export type PolicyGroupId = (typeof policyGroupIds)[number];

const toggle = (path: TogglePath): PolicyField => ({ path, kind: 'toggle' });
const number = (path: NumberPath): PolicyField => ({ path, kind: 'number' });

export const policyGroups: Record<PolicyGroupId, PolicyField[]> = {
  signIn: [toggle('requireMfa'), number('reauthWindowSeconds')],
  methods: [
    toggle('enabledMethods.authenticator'),
    toggle('enabledMethods.phone'),
    toggle('enabledMethods.webauthn'),
    toggle('enabledMethods.hardware_token'),
    number('authenticatorMaxPerUser'),
  ],
  phones: [toggle('phoneOptions.sms'), toggle('phoneOptions.voice'), toggle('phoneOptions.alternate'), toggle('phoneOptions.office')],
  codes: [number('codeLifetimeSeconds'), number('sendLimit.count'), number('sendLimit.windowSeconds')],
  appPasswords: [toggle('appPasswords.allowed'), number('appPasswords.maxPerUser')],
  registration: [
    { path: 'registration.methodsRequired', kind: 'choice', options: methodsRequiredOptions },
    { path: 'registration.whenNoUsableMethod', kind: 'choice', options: whenNoUsableMethodOptions },
  ],
  temporaryAccessPass: [
    toggle('temporaryAccessPass.enabled'),
    number('temporaryAccessPass.defaultLifetimeMinutes'),
    number('temporaryAccessPass.length'),
    toggle('temporaryAccessPass.oneTimeByDefault'),
  ],
  recoveryCodes: [toggle('recoveryCodes.enabled')],
  passwordReset: [
    toggle('passwordReset.enabled'),
    { path: 'passwordReset.methodsRequired', kind: 'choice', options: methodsRequiredOptions },
    number('passwords.minLength'),
  ],
  strongerMethods: [toggle('strongerMethods.systemPreferred'), toggle('strongerMethods.nudge'), toggle('strongerMethods.passkeyUpgrade')],
};

const allFields = Object.values(policyGroups).flat();

function child(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: [string, unknown][] = Object.entries(value);
  return entries.find(([k]) => k === key)?.[1];
}

/** The schema's own bounds for a number field, so the page's message says what the server enforces. */
export function numberBounds(path: string): { min: number; max: number } | null {
  let schema: z.ZodType | undefined = orgPolicySchema;
  for (const key of path.split('.')) {
    while (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) schema = schema.unwrap() as z.ZodType;
    schema = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>)[key] : undefined;
  }
  while (schema instanceof z.ZodDefault) schema = schema.unwrap() as z.ZodType;
  if (!(schema instanceof z.ZodNumber) || schema.minValue === null || schema.maxValue === null) return null;
  return { min: schema.minValue, max: schema.maxValue };
}

export type Draft = Record<string, string | boolean>;

export function toDraft(policy: OrgPolicy): Draft {
  const draft: Draft = {};
  for (const field of allFields) {
    const value = field.path.split('.').reduce<unknown>(child, policy);
    draft[field.path] = typeof value === 'boolean' ? value : String(value);
  }
  return draft;
}

function valueOf(field: PolicyField, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  if (field.kind === 'toggle') return raw === 'true';
  // A number field left empty or with letters in it is sent as it is, and refused with its path.
  if (field.kind === 'number' || field.path === 'registration.methodsRequired' || field.path === 'passwordReset.methodsRequired')
    return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  return raw;
}

/** The draft as the policy object it describes: parsed with the shared schema, or the issues by field path. */
export function fromDraft(draft: Draft): { policy: OrgPolicy; issues: null } | { policy: null; issues: string[] } {
  const out: Record<string, unknown> = {};
  for (const field of allFields) {
    const keys = field.path.split('.');
    const last = keys.pop()!;
    let target = out;
    for (const key of keys) {
      const next = target[key];
      if (typeof next === 'object' && next !== null && !Array.isArray(next)) target = next as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        target[key] = created;
        target = created;
      }
    }
    target[last] = valueOf(field, draft[field.path] ?? '');
  }
  const parsed = orgPolicySchema.strict().safeParse(out);
  if (parsed.success) return { policy: parsed.data, issues: null };
  return { policy: null, issues: parsed.error.issues.map((i) => i.path.join('.')) };
}

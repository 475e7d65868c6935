import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import {
  idSchema,
  isoDate,
  methodLabelSchema,
  methodSummarySchema,
  newPasswordRulesShape,
  okSchema,
  phoneDeliverySchema,
  phoneKindSchema,
} from './common.ts';
import { methodKindSchema } from '../policy.ts';
import { askedFirstSchema } from './stronger-methods.ts';

export const securityInfoSchema = z.object({
  methods: z.array(methodSummarySchema),
  defaultMethodId: idSchema.nullable(),
  /** How the default's code arrives, where its method offers a choice (a phone's text or call); null: either. */
  defaultDelivery: phoneDeliverySchema.nullable(),
  /** What the second step of sign-in asks for first (docs/reference.md#stronger-methods-first); null: nothing usable. */
  askedFirst: z.nullable(askedFirstSchema),
  /** The organisation asks for the strongest method first, whatever the default. */
  systemPreferred: z.boolean(),
  /** Every kind this server has: how many more of it this user may add, and whether the organisation turned it off. */
  canAdd: z.array(
    z.object({
      kind: methodKindSchema,
      remaining: z.number().int().nonnegative(),
      /** The organisation's policy does not allow adding this kind now (not a limit: the user has room). */
      turnedOff: z.boolean(),
      /** For phones: the phone kinds the policy allows, each with how it may receive a code. */
      phones: z.array(z.object({ phoneKind: phoneKindSchema, deliveries: z.array(phoneDeliverySchema) })).optional(),
    }),
  ),
});
export type SecurityInfo = z.infer<typeof securityInfoSchema>;

export const getSecurityInfo = endpoint({
  method: 'GET',
  path: '/api/security-info',
  tag: 'security-info',
  summary: 'The signed-in user’s methods and default method',
  guard: guards.managing,
  response: securityInfoSchema,
});

/**
 * The password on Security info (docs/reference.md#changing-the-password), with what the client's
 * strength meter needs to apply the rules of docs/reference.md#new-passwords as the user types a
 * new one. Changing it is in password-change.ts, which loads with its dialog.
 */
export const passwordStatusSchema = z.object({
  /** When the password was last changed or reset. */
  changedAt: isoDate,
  /** An administrator requires a new password: the interruption lasts until it is changed. */
  changeRequired: z.boolean(),
  ...newPasswordRulesShape,
});
export type PasswordStatus = z.infer<typeof passwordStatusSchema>;

export const getPassword = endpoint({
  method: 'GET',
  path: '/api/password',
  tag: 'security-info',
  summary: 'When the password was last changed, and the rules a new one must meet',
  guard: { stages: guards.passwordChanging.stages },
  response: passwordStatusSchema,
});

export const methodParams = z.object({ methodId: idSchema });

export const setDefaultMethod = endpoint({
  method: 'PUT',
  path: '/api/security-info/default',
  tag: 'security-info',
  summary: 'Choose the default sign-in method, and for a phone whether it is texted or called',
  body: z.strictObject({
    methodId: idSchema,
    /** For a phone: text or call (docs/reference.md#default-method); absent: either, as the sign-in prompt offers. */
    delivery: phoneDeliverySchema.optional(),
  }),
  guard: guards.changing,
  response: securityInfoSchema,
});

export const renameMethod = endpoint({
  method: 'PATCH',
  path: '/api/methods/:methodId',
  tag: 'security-info',
  summary: 'Rename a method',
  params: methodParams,
  body: z.strictObject({ label: methodLabelSchema }),
  guard: guards.changing,
  response: securityInfoSchema,
});

export const deleteMethod = endpoint({
  method: 'DELETE',
  path: '/api/methods/:methodId',
  tag: 'security-info',
  summary: 'Delete a method (never the last usable one)',
  params: methodParams,
  guard: guards.changing,
  response: securityInfoSchema,
});

export const activityEntrySchema = z.object({
  id: idSchema,
  at: isoDate,
  event: z.string(),
  authMode: z.string(),
  result: z.enum(['success', 'denied']),
  denialReason: z.string().nullable(),
  phone: z.string().nullable(),
  deviceToken: z.string().nullable(),
  clientIp: z.string().nullable(),
  serverName: z.string(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const getActivity = endpoint({
  method: 'GET',
  path: '/api/activity',
  tag: 'security-info',
  summary: 'The signed-in user’s own verification log records, newest first',
  query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  guard: guards.managing,
  response: z.object({ entries: z.array(activityEntrySchema) }),
});

export const deleteMethodResult = okSchema;

import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { orgPolicySchema } from '../policy.ts';

export const getOrgPolicy = endpoint({
  method: 'GET',
  path: '/api/admin/policy',
  tag: 'admin',
  summary: 'The organisation’s method policy (administrators, recent verification)',
  guard: guards.admin,
  response: orgPolicySchema,
});

export const setOrgPolicy = endpoint({
  method: 'PUT',
  path: '/api/admin/policy',
  tag: 'admin',
  summary: 'Replace the organisation’s method policy (administrators, recent verification)',
  body: orgPolicySchema.strict(),
  guard: guards.admin,
  response: orgPolicySchema,
});

export const adminDeleteAppPasswords = endpoint({
  method: 'DELETE',
  path: '/api/admin/users/:username/app-passwords',
  tag: 'admin',
  summary: 'Delete all app passwords of a user (administrators, recent verification)',
  params: z.object({ username: z.string().min(1).max(128) }),
  guard: guards.admin,
  response: z.object({ deleted: z.number().int().nonnegative() }),
});

/** What turning something off can mean for users: a kind of method, or one of the phone options. */
export const policySwitches = [
  'authenticator',
  'phone',
  'webauthn',
  'hardware_token',
  'phone.sms',
  'phone.voice',
  'phone.alternate',
  'phone.office',
] as const;
export const policySwitchSchema = z.enum(policySwitches);
export type PolicySwitch = z.infer<typeof policySwitchSchema>;

const count = z.number().int().nonnegative();

export const policyPreviewSchema = z.object({
  /** One entry per kind or phone option the proposed policy turns off. */
  turnedOff: z.array(
    z.object({
      switch: policySwitchSchema,
      /** Users whose default method is affected. */
      defaultUsers: count,
      /** Users who have at least one affected method. */
      users: count,
      /** Of those, users who would have no usable method left. */
      leftWithoutMethod: count,
    }),
  ),
  /** Users with a usable method today and none under the proposed policy. */
  leftWithoutMethod: count,
  /** The proposed policy would leave the administrator asking with no usable method; saving it is refused. */
  locksOutYou: z.boolean(),
});
export type PolicyPreview = z.infer<typeof policyPreviewSchema>;

export const previewOrgPolicy = endpoint({
  method: 'POST',
  path: '/api/admin/policy/preview',
  tag: 'admin',
  summary: 'What a proposed policy would turn off, and for how many users (administrators, recent verification)',
  body: orgPolicySchema.strict(),
  guard: guards.admin,
  response: policyPreviewSchema,
});

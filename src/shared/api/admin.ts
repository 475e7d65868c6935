import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { orgPolicySchema } from '../policy.ts';

export const getOrgPolicy = endpoint({
  method: 'GET',
  path: '/api/admin/policy',
  tag: 'admin',
  summary: 'The organisation’s method policy (administrators)',
  guard: guards.admin,
  response: orgPolicySchema,
});

export const setOrgPolicy = endpoint({
  method: 'PUT',
  path: '/api/admin/policy',
  tag: 'admin',
  summary: 'Replace the organisation’s method policy (administrators, recent verification)',
  body: orgPolicySchema.strict(),
  guard: guards.adminChanging,
  response: orgPolicySchema,
});

export const adminDeleteAppPasswords = endpoint({
  method: 'DELETE',
  path: '/api/admin/users/:username/app-passwords',
  tag: 'admin',
  summary: 'Delete all app passwords of a user (administrators, recent verification)',
  params: z.object({ username: z.string().min(1).max(128) }),
  guard: guards.adminChanging,
  response: z.object({ deleted: z.number().int().nonnegative() }),
});

import { z } from 'zod';
import { endpoint, guards } from '../endpoint.ts';
import { isoDate, methodSummarySchema, usernameSchema } from './common.ts';
import { userText } from '../text.ts';
import { activityEntrySchema } from './security-info.ts';
import { registrationReasonSchema } from './session.ts';

/** Administrators look users up, read what they have registered, and act on their accounts. */

const usernameParams = z.object({ username: usernameSchema });
const cursor = userText({ max: 128 });

export const adminUsersPageSize = 25;

export const adminUserListItemSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  isAdmin: z.boolean(),
});
export type AdminUserListItem = z.infer<typeof adminUserListItemSchema>;

export const searchUsers = endpoint({
  method: 'GET',
  path: '/api/admin/users',
  tag: 'admin',
  summary:
    'Users whose first or last name, user name or e-mail starts with q (any case), a page at a time by user name (administrators, recent verification)',
  query: z
    .strictObject({
      q: userText({ min: 0, max: 128 }).default(''),
      /** The page after this user name… */
      after: cursor.optional(),
      /** …or the page before it. */
      before: cursor.optional(),
      limit: z.coerce.number().int().min(1).max(100).default(adminUsersPageSize),
    })
    .refine((q) => !(q.after && q.before), { path: ['before'], message: 'after or before, not both' }),
  guard: guards.admin,
  response: z.object({
    users: z.array(adminUserListItemSchema),
    /** Cursors for the neighbouring pages; null where there is none. */
    next: z.string().nullable(),
    previous: z.string().nullable(),
  }),
});

export const userLockoutSchema = z.object({
  /** What the counter throttles: the password at sign-in, an old mail client's sign-in, authenticator codes. */
  scope: z.enum(['password', 'legacy', 'authenticator_code', 'recovery_code']),
  /** The client address the counter is kept for; null when it counts from every address. */
  clientIp: z.string().nullable(),
  failures: z.number().int().nonnegative(),
  lastFailureAt: isoDate,
  /** Until when attempts are refused; null when they are not. */
  blockedUntil: isoDate.nullable(),
});
export type UserLockout = z.infer<typeof userLockoutSchema>;

/** A security notice e-mailed to the user that could not be delivered, and why. */
export const undeliveredNoticeSchema = z.object({
  id: z.string(),
  subject: z.string(),
  to: z.string(),
  queuedAt: isoDate,
  gaveUpAt: isoDate,
  attempts: z.number().int().nonnegative(),
  /** The mail server's reply or a network error, as it was. */
  reason: z.string(),
});
export type UndeliveredNotice = z.infer<typeof undeliveredNoticeSchema>;

export const adminUserDetailSchema = z.object({
  user: z.object({
    username: z.string(),
    displayName: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    isAdmin: z.boolean(),
    createdAt: isoDate,
    /** Set while the user must register again. */
    reregisterReason: registrationReasonSchema.nullable(),
    /** Since when the account needs an administrator's review: the user reported a change they did not make. */
    needsReviewSince: isoDate.nullable(),
    /** When the password was last changed or reset. */
    passwordChangedAt: isoDate,
    /** Since when the user must change their password at the next sign-in; null when they need not. */
    passwordChangeRequiredSince: isoDate.nullable(),
  }),
  /** Phone numbers masked; never a secret. */
  methods: z.array(methodSummarySchema),
  lockouts: z.array(userLockoutSchema),
  /** Their verification-log records, newest first. */
  activity: z.array(activityEntrySchema),
  activeSessions: z.number().int().nonnegative(),
  appPasswords: z.number().int().nonnegative(),
  /** Notices given up on, newest first: the user never heard of these changes. */
  undeliveredNotices: z.array(undeliveredNoticeSchema),
});
export type AdminUserDetail = z.infer<typeof adminUserDetailSchema>;

export const getAdminUser = endpoint({
  method: 'GET',
  path: '/api/admin/users/:username',
  tag: 'admin',
  summary: 'A user’s methods, lock-outs and recent activity (administrators, recent verification)',
  params: usernameParams,
  guard: guards.admin,
  response: adminUserDetailSchema,
});

/**
 * `now`: the methods are deleted at once, and the next sign-in goes straight to registration.
 * `after_verification`: the user proves who they are once more with a method they have, then those
 * methods are deleted and registration starts.
 */
export const reregistrationModes = ['now', 'after_verification'] as const;
export type ReregistrationMode = (typeof reregistrationModes)[number];

export const requireReregistration = endpoint({
  method: 'POST',
  path: '/api/admin/users/:username/require-reregistration',
  tag: 'admin',
  summary: 'Make the user register their security info again (administrators, recent verification)',
  params: usernameParams,
  body: z.strictObject({ mode: z.enum(reregistrationModes) }),
  guard: guards.admin,
  response: z.object({ deletedMethods: z.number().int().nonnegative() }),
});

export const revokeUserSessions = endpoint({
  method: 'POST',
  path: '/api/admin/users/:username/revoke-sessions',
  tag: 'admin',
  summary: 'Sign the user out everywhere (administrators, recent verification)',
  params: usernameParams,
  guard: guards.admin,
  response: z.object({ revoked: z.number().int().nonnegative() }),
});

export const unlockUser = endpoint({
  method: 'POST',
  path: '/api/admin/users/:username/unlock',
  tag: 'admin',
  summary: 'Clear the user’s sign-in lock-outs (administrators, recent verification)',
  params: usernameParams,
  guard: guards.admin,
  response: z.object({ cleared: z.number().int().nonnegative() }),
});

export const clearNeedsReview = endpoint({
  method: 'POST',
  path: '/api/admin/users/:username/clear-review',
  tag: 'admin',
  summary: 'Clear the account’s “needs review” mark once it was looked at (administrators, recent verification)',
  params: usernameParams,
  guard: guards.admin,
  response: z.object({ cleared: z.boolean() }),
});

export const requirePasswordChange = endpoint({
  method: 'POST',
  path: '/api/admin/users/:username/require-password-change',
  tag: 'admin',
  summary: 'Make the user change their password at the next sign-in (administrators, recent verification)',
  params: usernameParams,
  guard: guards.admin,
  response: z.object({ required: z.literal(true) }),
});

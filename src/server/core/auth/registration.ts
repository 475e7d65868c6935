import type { RegistrationReason } from '../../../shared/api/session.ts';
import { registrationReasonSchema } from '../../../shared/api/session.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import type { ServerContext } from '../context.ts';
import { writeVerificationLog } from '../audit/verification-log.ts';
import { hasUsableDefault } from '../security-info/default-method.ts';
import { deleteMethodsAddedBy, listMethods, usableMethods, type MethodRow } from '../security-info/method-store.ts';
import type { UserRow } from '../users/users.ts';

/**
 * Why this user must register security info before going on, or null. The
 * reasons are the reference FAQ's (docs/reference.md#why-a-user-is-asked-to-register): an admin reset or a disabled
 * default method take precedence over the plain "MFA required, nothing
 * registered".
 */
export async function registrationReason(
  ctx: ServerContext,
  user: UserRow,
  policy: OrgPolicy,
  /** The user's methods, where the caller has already read them. */
  known?: MethodRow[],
): Promise<RegistrationReason | null> {
  const stored = registrationReasonSchema.safeParse(user.reregister_reason);
  if (stored.success) return stored.data;
  const methods = known ?? (await listMethods(ctx, user.id));
  const usable = await usableMethods(ctx, methods, policy);
  // Everything they had is turned off: they register again (after a temporary access pass, or right after the password).
  if (policy.requireMfa && methods.length > 0 && usable.length === 0) return 'no_usable_method';
  // The default is still registered but the policy turned it off, or turned off the delivery it names.
  if (methods.some((m) => m.id === user.default_method_id) && !(await hasUsableDefault(ctx, user, usable, policy))) {
    return 'default_method_disabled';
  }
  if (policy.requireMfa && usable.length === 0) return 'mfa_required';
  // Self-service reset proves the user with N methods: someone with fewer could not use it (docs/reference.md#self-service-password-reset).
  if (policy.passwordReset.enabled && usable.length < policy.passwordReset.methodsRequired) return 'password_reset_enabled';
  return null;
}

/** How many usable methods the registration interruption asks for: the policy's number, or more when reset needs them. */
export function methodsRequiredToRegister(policy: OrgPolicy): 1 | 2 {
  const forReset = policy.passwordReset.enabled ? policy.passwordReset.methodsRequired : 1;
  return Math.max(policy.registration.methodsRequired, forReset) === 2 ? 2 : 1;
}

/**
 * An administrator asked this user to register again once they have verified: now that they
 * have, the methods they had when it was asked are deleted, so registration starts from nothing.
 * Methods added since (a registration left half-way) stay.
 */
export async function clearMethodsForAdminReset(ctx: ServerContext, user: UserRow, clientIp: string): Promise<void> {
  if (user.reregister_reason !== 'admin_reset' || user.reregister_requested_at === null) return;
  const deleted = await deleteMethodsAddedBy(ctx.db, user.id, user.reregister_requested_at);
  if (deleted === 0) return;
  await writeVerificationLog(ctx, { user, event: 'registration.methods_cleared', authMode: 'none', result: 'success', clientIp });
}

import type { RegistrationReason } from '../../../../shared/api/session.ts';
import type { OrgPolicy } from '../../../../shared/policy.ts';
import type { ServerContext } from '../../context.ts';
import type { MethodRow } from '../../security-info/method-store.ts';
import type { UserRow } from '../../users/users.ts';
import { clearMethodsForAdminReset, registrationReason } from '../registration.ts';

export type SignedInStage =
  { stage: 'password_change'; reason: null } | { stage: 'registration' | 'signed_in'; reason: RegistrationReason | null };

/**
 * Where a user goes once a sign-in has proved them: a new password first when an administrator
 * requires one (docs/reference.md#changing-the-password), then the registration interruption when
 * one applies, then in. Leaving the password change comes back here, and goes on from the second.
 */
export async function stageAfterSignIn(
  ctx: ServerContext,
  user: UserRow,
  policy: OrgPolicy,
  options: {
    clientIp: string;
    /** A method proved the user at this sign-in: an administrator's "after verification" reset now deletes the old methods. */
    clearAdminReset: boolean;
    /** The user's methods, where the caller has already read them. */
    methods?: MethodRow[];
  },
): Promise<SignedInStage> {
  if (user.password_change_required_at !== null) return { stage: 'password_change', reason: null };
  const reason = await registrationReason(ctx, user, policy, options.methods);
  if (reason === 'admin_reset' && options.clearAdminReset) await clearMethodsForAdminReset(ctx, user, options.clientIp);
  return reason ? { stage: 'registration', reason } : { stage: 'signed_in', reason: null };
}

import { registrationReasonSchema, type SessionInfo } from '../../../shared/api/session.ts';
import type { ServerContext } from '../context.ts';
import { getPolicy } from '../security-info/policy-store.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import type { MethodRow } from '../security-info/method-store.ts';
import { signInOptions } from '../security-info/summaries.ts';
import { recoveryCodeOffered } from '../recovery-codes/service.ts';
import { displayName, getUser, type UserRow } from '../users/users.ts';
import { reauthValidUntil } from './guards.ts';
import { passkeyUpgradeOpen } from './passkey-upgrade.ts';
import { methodsRequiredToRegister, registrationReason } from './registration.ts';
import type { SessionRecord } from '../sessions/session-store.ts';

function sessionUser(user: UserRow) {
  return { username: user.username, displayName: displayName(user), isAdmin: user.is_admin === 1 };
}

/** The client's view of where the session stands; every sign-in step answers with it. */
export async function buildSessionInfo(
  ctx: ServerContext,
  session: SessionRecord,
  /** What the caller has already read for this request (the user's methods: of `known.user`); read here otherwise. */
  known: { user?: UserRow; policy?: OrgPolicy; methods?: MethodRow[] } = {},
): Promise<SessionInfo> {
  const base = { csrfToken: session.csrfToken, devTools: ctx.config.devTools };
  // A password reset in progress is still signed out: the page of the reset asks for its own state.
  if (!session.userId || session.stage === 'anonymous' || session.stage === 'password_reset')
    return { ...base, state: { stage: 'anonymous' } };
  const userId = session.userId;
  const knownUser = known.user?.id === userId ? known.user : undefined;
  const [user, policy] = await Promise.all([knownUser ?? getUser(ctx, userId), known.policy ?? getPolicy(ctx)]);
  const methods = knownUser ? known.methods : undefined;
  switch (session.stage) {
    case 'second_factor': {
      const options = await signInOptions(ctx, user, policy, methods);
      // With no usable method left, a pass from an administrator is the only way in (and it is said so after the password only).
      const onlyWay = !options.some((o) => !o.turnedOff);
      return {
        ...base,
        state: {
          stage: 'second_factor',
          user: sessionUser(user),
          options,
          temporaryAccessPass: !policy.temporaryAccessPass.enabled ? null : onlyWay ? 'required' : 'offered',
          recoveryCode: await recoveryCodeOffered(ctx, policy, user.id),
        },
      };
    }
    case 'registration':
      return {
        ...base,
        state: {
          stage: 'registration',
          user: sessionUser(user),
          reason:
            registrationReasonSchema.safeParse(session.registrationReason).data ??
            (await registrationReason(ctx, user, policy)) ??
            'registration_policy',
          methodsRequired: methodsRequiredToRegister(policy),
        },
      };
    case 'password_change':
      return {
        ...base,
        state: {
          stage: 'password_change',
          user: sessionUser(user),
          options: await signInOptions(ctx, user, policy, methods),
          recoveryCode: await recoveryCodeOffered(ctx, policy, user.id),
        },
      };
    case 'signed_in': {
      const until = reauthValidUntil(session, policy);
      return {
        ...base,
        state: {
          stage: 'signed_in',
          user: sessionUser(user),
          reauthValidUntil: until !== null && until > ctx.clock.now() ? new Date(until).toISOString() : null,
          options: await signInOptions(ctx, user, policy, methods),
          recoveryCode: await recoveryCodeOffered(ctx, policy, user.id),
          passkeyUpgrade: passkeyUpgradeOpen(session, policy, ctx.clock.now()),
        },
      };
    }
  }
}

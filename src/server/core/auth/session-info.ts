import { registrationReasonSchema, type SessionInfo } from '../../../shared/api/session.ts';
import type { ServerContext } from '../context.ts';
import { getPolicy } from '../security-info/policy-store.ts';
import type { OrgPolicy } from '../../../shared/policy.ts';
import { signInOptions } from '../security-info/summaries.ts';
import { displayName, getUser, type UserRow } from '../users/users.ts';
import { reauthValidUntil } from './guards.ts';
import { passkeyUpgradeOpen } from './passkey-upgrade.ts';
import { registrationReason } from './registration.ts';
import type { SessionRecord } from '../sessions/session-store.ts';

function sessionUser(user: UserRow) {
  return { username: user.username, displayName: displayName(user), isAdmin: user.is_admin === 1 };
}

/** The client's view of where the session stands; every sign-in step answers with it. */
export async function buildSessionInfo(
  ctx: ServerContext,
  session: SessionRecord,
  /** What the caller has already read for this request; read here otherwise. */
  known: { user?: UserRow; policy?: OrgPolicy } = {},
): Promise<SessionInfo> {
  const base = { csrfToken: session.csrfToken, devTools: ctx.config.devTools };
  if (!session.userId || session.stage === 'anonymous') return { ...base, state: { stage: 'anonymous' } };
  const userId = session.userId;
  const [user, policy] = await Promise.all([known.user?.id === userId ? known.user : getUser(ctx, userId), known.policy ?? getPolicy(ctx)]);
  switch (session.stage) {
    case 'second_factor': {
      const options = await signInOptions(ctx, user, policy);
      // With no usable method left, a pass from an administrator is the only way in (and it is said so after the password only).
      const onlyWay = !options.some((o) => !o.turnedOff);
      return {
        ...base,
        state: {
          stage: 'second_factor',
          user: sessionUser(user),
          options,
          temporaryAccessPass: !policy.temporaryAccessPass.enabled ? null : onlyWay ? 'required' : 'offered',
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
          methodsRequired: policy.registration.methodsRequired,
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
          options: await signInOptions(ctx, user, policy),
          passkeyUpgrade: passkeyUpgradeOpen(session, policy, ctx.clock.now()),
        },
      };
    }
  }
}

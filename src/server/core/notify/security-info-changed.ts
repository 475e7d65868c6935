import type { MethodKind } from '../../../shared/policy.ts';
import type { ServerContext } from '../context.ts';
import { pickLanguage, translator } from '../i18n/translate.ts';
import { displayName, type UserRow } from '../users/users.ts';

export type SecurityInfoChange = 'method_added' | 'method_reconfigured' | 'method_deleted' | 'method_renamed' | 'default_changed';
export type AppPasswordChange = 'app_password_created' | 'app_password_deleted' | 'app_passwords_deleted_all';
/** What an administrator did to the account. */
export type AdminAccountAction =
  'admin_reregistration_now' | 'admin_reregistration_after_verification' | 'admin_sessions_revoked' | 'admin_unlocked';

/**
 * Tells the user their security info changed (OWASP ASVS 5.0 V6.3.7: notify
 * users of updates to authentication details), so a change they did not make
 * does not go unnoticed. A delivery failure must not undo the change.
 */
async function sendChangeNotice(
  ctx: ServerContext,
  user: UserRow,
  changeKey: string,
  values: (t: ReturnType<typeof translator>) => Record<string, string | number>,
): Promise<void> {
  if (!user.email) return;
  const t = translator(user.language);
  const when = new Intl.DateTimeFormat(pickLanguage(user.language), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(
    ctx.clock.now(),
  );
  try {
    await ctx.delivery.send({
      channel: 'email',
      to: user.email,
      userId: user.id,
      subject: t('securityInfoChanged.subject'),
      body: t('securityInfoChanged.body', { name: displayName(user), change: t(changeKey, values(t)), when: `${when} UTC` }),
    });
  } catch (error) {
    ctx.log.warn({ err: error, userId: user.id }, 'Security-info notification could not be delivered');
  }
}

export function notifySecurityInfoChanged(
  ctx: ServerContext,
  user: UserRow,
  change: SecurityInfoChange,
  method: { kind: MethodKind; label: string },
): Promise<void> {
  return sendChangeNotice(ctx, user, `securityInfoChanged.change.${change}`, (t) => ({
    method: t(`methodKind.${method.kind}`),
    label: method.label,
  }));
}

export function notifyAppPasswordChanged(
  ctx: ServerContext,
  user: UserRow,
  change: AppPasswordChange,
  detail: { name?: string; count?: number },
): Promise<void> {
  return sendChangeNotice(ctx, user, `securityInfoChanged.change.${change}`, () => ({
    name: detail.name ?? '',
    count: detail.count ?? 0,
  }));
}

/** An administrator issued a temporary access pass: the user hears of it, in case they did not ask for one. */
export function notifyTemporaryAccessPassIssued(ctx: ServerContext, user: UserRow, expiresAt: number): Promise<void> {
  return sendChangeNotice(ctx, user, 'securityInfoChanged.change.temporary_access_pass_issued', () => ({
    expires: `${new Intl.DateTimeFormat(pickLanguage(user.language), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(expiresAt)} UTC`,
  }));
}

export function notifyAdminAction(ctx: ServerContext, user: UserRow, action: AdminAccountAction): Promise<void> {
  return sendChangeNotice(ctx, user, `securityInfoChanged.change.${action}`, () => ({}));
}

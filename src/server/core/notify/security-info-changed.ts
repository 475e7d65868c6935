import type { MethodKind } from '../../../shared/policy.ts';
import { pickLanguage, translator } from '../i18n/translate.ts';
import { enqueueMail } from '../mail/queue-store.ts';
import { reportLinkFor } from '../report-link/token.ts';
import type { TransactionContext } from '../transaction.ts';
import { displayName, type UserRow } from '../users/users.ts';

export type SecurityInfoChange = 'method_added' | 'method_reconfigured' | 'method_deleted' | 'method_renamed' | 'default_changed';
export type AppPasswordChange = 'app_password_created' | 'app_password_deleted' | 'app_passwords_deleted_all';
/** What an administrator did to the account. */
export type AdminAccountAction =
  | 'admin_reregistration_now'
  | 'admin_reregistration_after_verification'
  | 'admin_sessions_revoked'
  | 'admin_unlocked'
  | 'admin_password_change_required';
export type RecoveryCodeChange = 'recovery_codes_generated' | 'recovery_codes_regenerated' | 'recovery_code_used';

/**
 * Tells the user their security info changed (OWASP ASVS 5.0 V6.3.7: notify
 * users of updates to authentication details), so a change they did not make
 * does not go unnoticed. The notice is queued in the change's own transaction
 * (a `TransactionContext`), so it exists exactly when the change does; the
 * mail worker sends it after the commit, and a slow or absent mail server
 * neither delays nor undoes the change.
 *
 * Every notice carries a "this wasn't me" link (docs/reference.md#this-wasnt-me),
 * except the one that confirms such a report.
 */
async function queueChangeNotice(
  tx: TransactionContext,
  user: UserRow,
  changeKey: string,
  values: (t: ReturnType<typeof translator>) => Record<string, string | number>,
  options: { reportLink: boolean } = { reportLink: true },
): Promise<void> {
  if (!user.email) return;
  const t = translator(user.language);
  const language = pickLanguage(user.language);
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(tx.clock.now());
  await enqueueMail(tx, {
    userId: user.id,
    to: user.email,
    language,
    subject: t('securityInfoChanged.subject'),
    body: options.reportLink
      ? t('securityInfoChanged.body', {
          name: displayName(user),
          change: t(changeKey, values(t)),
          when: `${when} UTC`,
          link: reportLinkFor(tx, user.id),
        })
      : t('securityInfoChanged.bodyNoLink', { name: displayName(user), change: t(changeKey, values(t)), when: `${when} UTC` }),
  });
}

export function notifySecurityInfoChanged(
  tx: TransactionContext,
  user: UserRow,
  change: SecurityInfoChange,
  method: { kind: MethodKind; label: string },
): Promise<void> {
  return queueChangeNotice(tx, user, `securityInfoChanged.change.${change}`, (t) => ({
    method: t(`methodKind.${method.kind}`),
    label: method.label,
  }));
}

export function notifyAppPasswordChanged(
  tx: TransactionContext,
  user: UserRow,
  change: AppPasswordChange,
  detail: { name?: string; count?: number },
): Promise<void> {
  return queueChangeNotice(tx, user, `securityInfoChanged.change.${change}`, () => ({
    name: detail.name ?? '',
    count: detail.count ?? 0,
  }));
}

/** An administrator issued a temporary access pass: the user hears of it, in case they did not ask for one. */
export function notifyTemporaryAccessPassIssued(tx: TransactionContext, user: UserRow, expiresAt: number): Promise<void> {
  return queueChangeNotice(tx, user, 'securityInfoChanged.change.temporary_access_pass_issued', () => ({
    expires: `${new Intl.DateTimeFormat(pickLanguage(user.language), { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(expiresAt)} UTC`,
  }));
}

export function notifyAdminAction(tx: TransactionContext, user: UserRow, action: AdminAccountAction): Promise<void> {
  return queueChangeNotice(tx, user, `securityInfoChanged.change.${action}`, () => ({}));
}

/** Recovery codes were generated, replaced, or one was used; `count` is how many are left. */
export function notifyRecoveryCodes(tx: TransactionContext, user: UserRow, change: RecoveryCodeChange, count: number): Promise<void> {
  return queueChangeNotice(tx, user, `securityInfoChanged.change.${change}`, () => ({ count }));
}

/** The user said "this wasn't me": what was done. No new link: the report was just made. */
export function notifyAccountSecured(tx: TransactionContext, user: UserRow): Promise<void> {
  return queueChangeNotice(tx, user, 'securityInfoChanged.change.reported_not_me', () => ({}), { reportLink: false });
}

/** The password was reset with the user's methods: every session ended, app passwords still work. */
export function notifyPasswordReset(tx: TransactionContext, user: UserRow): Promise<void> {
  return queueChangeNotice(tx, user, 'securityInfoChanged.change.password_reset', () => ({}));
}

/** The user changed their password: every other session ended, app passwords still work. */
export function notifyPasswordChanged(tx: TransactionContext, user: UserRow): Promise<void> {
  return queueChangeNotice(tx, user, 'securityInfoChanged.change.password_changed', () => ({}));
}

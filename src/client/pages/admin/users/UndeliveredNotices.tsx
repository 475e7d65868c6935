import { useTranslation } from 'react-i18next';
import '../../../i18n/admin-namespace.ts';
import type { UndeliveredNotice } from '../../../../shared/api/admin-users.ts';
import { useFormatDateTime } from '../../../hooks/use-format.ts';

/**
 * Security notices the mail queue gave up on: the user was never told of these
 * changes, so the administrator should check the address and tell them another way.
 * Shown only when there are any.
 */
export function UndeliveredNotices({ notices }: { notices: UndeliveredNotice[] }) {
  const { t } = useTranslation('admin');
  const formatDate = useFormatDateTime();
  if (notices.length === 0) return null;
  return (
    <section aria-labelledby="user-undelivered" className="user-section">
      <h2 id="user-undelivered">{t('user.undelivered')}</h2>
      <p className="alert alert-warning">{t('user.undeliveredIntro')}</p>
      <ul className="lockout-list">
        {notices.map((n) => (
          <li key={n.id} className="card">
            <strong>{n.subject}</strong>
            <br />
            {t('user.undeliveredTo', { to: n.to, queued: formatDate(n.queuedAt) })}
            <br />
            {t('user.undeliveredGaveUp', { count: n.attempts, when: formatDate(n.gaveUpAt) })}
            <br />
            {t('user.undeliveredReason')} <code>{n.reason}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

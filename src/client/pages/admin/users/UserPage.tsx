import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import * as adminApi from '../../../../shared/api/admin.ts';
import * as api from '../../../../shared/api/admin-users.ts';
import { call } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useMethodKindName } from '../../../components/methods/MethodKindName.tsx';
import { PageHeading } from '../../../components/PageHeading.tsx';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { useRemote } from '../../../hooks/use-remote.ts';
import { NeedsReviewNotice } from './NeedsReviewNotice.tsx';
import { TemporaryAccessPassSection } from './TemporaryAccessPassSection.tsx';
import { UndeliveredNotices } from './UndeliveredNotices.tsx';
import { UserActions } from './UserActions.tsx';

/** One user as an administrator sees them: account, methods (no secrets), lock-outs, undelivered notices, recent activity, and the actions. */
export function UserPage() {
  const { username = '' } = useParams();
  return <UserDetail username={username} />;
}

function UserDetail({ username }: { username: string }) {
  const { t } = useTranslation(['admin', 'activity', 'common']);
  const formatDate = useFormatDateTime();
  const kindName = useMethodKindName();
  const withReauth = useReauth();
  const { state, reload } = useRemote(
    (signal) => withReauth(() => call(api.getAdminUser, { params: { username } }, { signal })),
    [username, withReauth],
  );
  const policy = useRemote((signal) => withReauth(() => call(adminApi.getOrgPolicy, {}, { signal })), [withReauth]);
  const data = state.data;
  const [reviewStatus, setReviewStatus] = useState('');
  const known = (group: 'event' | 'authMode', key: string) => t(`activity:${group}.${key}`, { defaultValue: key });

  return (
    <div>
      <p>
        <Link to="/admin/users">{t('user.back')}</Link>
      </p>
      <PageHeading title={data?.user.displayName ?? username}>{data?.user.displayName ?? username}</PageHeading>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {data ? (
        <>
          {data.user.reregisterReason ? <p className="alert alert-warning">{t('user.reregisterPending')}</p> : null}
          {data.user.passwordChangeRequiredSince ? <p className="alert alert-warning">{t('user.passwordChangePending')}</p> : null}
          <p role="status" className="status">
            {reviewStatus}
          </p>
          {data.user.needsReviewSince ? (
            <NeedsReviewNotice
              username={data.user.username}
              since={data.user.needsReviewSince}
              onCleared={(message) => {
                setReviewStatus(message);
                reload();
              }}
            />
          ) : null}
          <section aria-labelledby="user-account" className="user-section">
            <h2 id="user-account">{t('user.details')}</h2>
            <dl className="key-details">
              <dt>{t('user.username')}</dt>
              <dd>{data.user.username}</dd>
              <dt>{t('user.email')}</dt>
              <dd>{data.user.email ?? '—'}</dd>
              <dt>{t('user.role')}</dt>
              <dd>{data.user.isAdmin ? t('user.roleAdmin') : t('user.roleUser')}</dd>
              <dt>{t('user.created')}</dt>
              <dd>{formatDate(data.user.createdAt)}</dd>
              <dt>{t('user.passwordChanged')}</dt>
              <dd>{formatDate(data.user.passwordChangedAt)}</dd>
              <dt>{t('user.sessions')}</dt>
              <dd>{data.activeSessions}</dd>
              <dt>{t('user.appPasswords')}</dt>
              <dd>{data.appPasswords}</dd>
            </dl>
          </section>

          <section aria-labelledby="user-methods" className="user-section">
            <h2 id="user-methods">{t('user.methods')}</h2>
            {data.methods.length === 0 ? <p>{t('user.noMethods')}</p> : null}
            <ul className="method-list" aria-labelledby="user-methods">
              {data.methods.map((m) => (
                <li key={m.id} className="method">
                  <p className="method-kind">
                    {kindName(m.kind)} – {m.label} {m.isDefault ? <span className="badge">{t('user.default')}</span> : null}
                  </p>
                  {m.detail ? <p className="method-detail">{m.detail}</p> : null}
                  <p className="hint">
                    {t('user.added', { when: formatDate(m.createdAt) })} ·{' '}
                    {m.lastUsedAt ? t('user.lastUsed', { when: formatDate(m.lastUsedAt) }) : t('user.neverUsed')}
                  </p>
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="user-lockouts" className="user-section">
            <h2 id="user-lockouts">{t('user.lockouts')}</h2>
            {data.lockouts.length === 0 ? <p>{t('user.noLockouts')}</p> : null}
            <ul className="lockout-list">
              {data.lockouts.map((l) => (
                <li key={`${l.scope}-${l.clientIp ?? '*'}`} className="card">
                  <strong>{t(`user.scope.${l.scope}`)}</strong> {l.clientIp ? t('user.fromIp', { ip: l.clientIp }) : t('user.fromAnywhere')}
                  <br />
                  {t('user.failures', { count: l.failures, when: formatDate(l.lastFailureAt) })}
                  <br />
                  {l.blockedUntil ? t('user.blockedUntil', { when: formatDate(l.blockedUntil) }) : t('user.notBlocked')}
                </li>
              ))}
            </ul>
          </section>

          <UndeliveredNotices notices={data.undeliveredNotices} />

          <UserActions username={data.user.username} name={data.user.displayName} onDone={reload} />

          {policy.state.data ? (
            <TemporaryAccessPassSection
              username={data.user.username}
              name={data.user.displayName}
              policy={policy.state.data.temporaryAccessPass}
            />
          ) : null}

          <section aria-labelledby="user-activity" className="user-section">
            <h2 id="user-activity">{t('user.activity')}</h2>
            {data.activity.length === 0 ? <p>{t('user.noActivity')}</p> : null}
            <ol className="activity-list">
              {data.activity.map((e) => (
                <li key={e.id} className={`activity ${e.result}`}>
                  <p className="activity-title">
                    <strong>{known('event', e.event)}</strong> – {t(`activity:result.${e.result}`)}
                  </p>
                  <p className="hint">
                    <time dateTime={e.at}>{formatDate(e.at)}</time> · {known('authMode', e.authMode)}
                    {e.clientIp ? ` · ${e.clientIp}` : ''}
                  </p>
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </div>
  );
}

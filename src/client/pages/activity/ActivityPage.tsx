import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/security-info.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useFormatDateTime } from '../../hooks/use-format.ts';
import { useRemote } from '../../hooks/use-remote.ts';

/** The user's own verification log records (a user sees their own records; see docs/reference.md). */
export function ActivityPage() {
  const { t } = useTranslation('activity');
  const formatDate = useFormatDateTime();
  const { state } = useRemote((signal) => call(api.getActivity, { query: { limit: 50 } }, { signal }), []);
  const entries = state.data?.entries ?? [];
  const known = (group: 'event' | 'authMode' | 'denialReason', key: string) => t(`${group}.${key}`, { defaultValue: key });
  return (
    <div>
      <PageHeading title={t('title')}>{t('title')}</PageHeading>
      <p className="lead">{t('intro')}</p>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'ready' && entries.length === 0 ? <p>{t('empty')}</p> : null}
      <ol className="activity-list">
        {entries.map((e) => (
          <li key={e.id} className={`activity ${e.result}`}>
            <p className="activity-title">
              <strong>{known('event', e.event)}</strong> – {t(`result.${e.result}`)}
              {e.denialReason ? ` (${known('denialReason', e.denialReason)})` : ''}
            </p>
            <dl className="activity-details">
              <dt>{t('when')}</dt>
              <dd>
                <time dateTime={e.at}>{formatDate(e.at)}</time>
              </dd>
              <dt>{t('authMode.label')}</dt>
              <dd>{known('authMode', e.authMode)}</dd>
              {e.phone ? (
                <>
                  <dt>{t('phone')}</dt>
                  <dd>{e.phone}</dd>
                </>
              ) : null}
              <dt>{t('clientIp')}</dt>
              <dd>{e.clientIp ?? '—'}</dd>
              <dt>{t('server')}</dt>
              <dd>{e.serverName}</dd>
            </dl>
          </li>
        ))}
      </ol>
    </div>
  );
}

import '../../../i18n/admin-namespace.ts';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import * as api from '../../../../shared/api/admin-log.ts';
import { authModes, logResults, type LogFilter } from '../../../../shared/api/admin-log.ts';
import { ApiError, call } from '../../../api/client.ts';
import { Button, ButtonLink } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Loading } from '../../../components/Loading.tsx';
import { PageHeading } from '../../../components/PageHeading.tsx';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { useRemote } from '../../../hooks/use-remote.ts';
import { csvHref, filterFromSearch, isoToLocalInput, localInputToIso } from './log-query.ts';
import './verification-log.css';

/** The denial reasons the server writes; the filter offers these. */
const denialReasons = [
  'invalid_credentials',
  'invalid_code',
  'code_already_used',
  'code_expired',
  'too_many_attempts',
  'app_password_required',
  'app_passwords_disabled',
  'delivery_failed',
  'setup_expired',
] as const;

/** Everyone's verification log records for administrators, filtered, a keyset page at a time (docs/reference.md#verification-log). */
export function VerificationLogPage() {
  return <VerificationLog />;
}

function VerificationLog() {
  const { t } = useTranslation(['admin-log', 'activity']);
  const formatDate = useFormatDateTime();
  const [search, setSearch] = useSearchParams();
  const raw = filterFromSearch(search);
  const parsed = api.logFilterSchema.safeParse(raw);
  const filter: LogFilter | null = parsed.success ? parsed.data : null;
  const cursor = search.get('cursor') ?? undefined;
  const key = search.toString();
  const withReauth = useReauth();
  const { state } = useRemote(
    (signal) =>
      filter
        ? withReauth(() => call(api.getVerificationLog, { query: { ...filter, ...(cursor ? { cursor } : {}) } }, { signal }))
        : Promise.reject(new ApiError(400, { code: 'invalid_input' })),
    [key, withReauth],
  );
  const entries = state.data?.entries ?? [];
  const known = (group: 'authMode' | 'denialReason' | 'event', value: string) => t(`activity:${group}.${value}`, { defaultValue: value });
  const download = csvHref(api.exportVerificationLog.path, filter ?? {});

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const next = new URLSearchParams();
    const set = (name: string, value: string | undefined) => value && next.set(name, value);
    set('user', text('user'));
    if (text('user') && form.get('userMatch') === 'prefix') next.set('userMatch', 'prefix');
    set('method', text('method'));
    set('result', text('result'));
    set('denialReason', text('denialReason'));
    set('from', localInputToIso(text('from')));
    set('to', localInputToIso(text('to')));
    set('clientIp', text('clientIp'));
    setSearch(next);
  }

  function goTo(nextCursor: string) {
    const next = new URLSearchParams(search);
    next.set('cursor', nextCursor);
    setSearch(next);
  }

  return (
    <div className="verification-log">
      <PageHeading title={t('title')}>{t('title')}</PageHeading>
      <p className="lead">{t('intro')}</p>

      <form className="card log-filters" role="search" aria-label={t('filters.label')} onSubmit={apply} key={key}>
        <div className="field">
          <label htmlFor="log-user">{t('filters.user')}</label>
          <input id="log-user" name="user" type="search" autoComplete="off" defaultValue={raw.user ?? ''} />
        </div>
        <div className="field checkbox">
          <input id="log-user-prefix" name="userMatch" type="checkbox" value="prefix" defaultChecked={raw.userMatch === 'prefix'} />
          <label htmlFor="log-user-prefix">{t('filters.userPrefix')}</label>
        </div>
        <div className="field">
          <label htmlFor="log-method">{t('filters.method')}</label>
          <select id="log-method" name="method" defaultValue={raw.method ?? ''}>
            <option value="">{t('filters.any')}</option>
            {authModes.map((mode) => (
              <option key={mode} value={mode}>
                {known('authMode', mode)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-result">{t('filters.result')}</label>
          <select id="log-result" name="result" defaultValue={raw.result ?? ''}>
            <option value="">{t('filters.any')}</option>
            {logResults.map((result) => (
              <option key={result} value={result}>
                {t(`result.${result}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-reason">{t('filters.denialReason')}</label>
          <select id="log-reason" name="denialReason" defaultValue={raw.denialReason ?? ''}>
            <option value="">{t('filters.any')}</option>
            {denialReasons.map((reason) => (
              <option key={reason} value={reason}>
                {known('denialReason', reason)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-from">{t('filters.from')}</label>
          <input id="log-from" name="from" type="datetime-local" defaultValue={isoToLocalInput(raw.from)} />
        </div>
        <div className="field">
          <label htmlFor="log-to">{t('filters.to')}</label>
          <input id="log-to" name="to" type="datetime-local" defaultValue={isoToLocalInput(raw.to)} />
        </div>
        <div className="field">
          <label htmlFor="log-ip">{t('filters.clientIp')}</label>
          <input id="log-ip" name="clientIp" type="text" autoComplete="off" defaultValue={raw.clientIp ?? ''} />
        </div>
        <div className="log-filter-actions">
          <Button type="submit">{t('filters.apply')}</Button>
          <ButtonLink variant="secondary" to="/admin/log">
            {t('filters.clear')}
          </ButtonLink>
        </div>
      </form>

      <p>
        <a className="button secondary" href={download} download>
          {t('download')}
        </a>
      </p>

      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'ready' && entries.length === 0 ? <p role="status">{t('empty')}</p> : null}

      {entries.length > 0 ? (
        <div className="log-table-scroll" role="region" aria-labelledby="log-caption" tabIndex={0}>
          <table className="log-table">
            <caption id="log-caption">{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('column.at')}</th>
                <th scope="col">{t('column.username')}</th>
                <th scope="col">{t('column.name')}</th>
                <th scope="col">{t('column.email')}</th>
                <th scope="col">{t('column.phone')}</th>
                <th scope="col">{t('column.deviceToken')}</th>
                <th scope="col">{t('column.authMode')}</th>
                <th scope="col">{t('column.event')}</th>
                <th scope="col">{t('column.result')}</th>
                <th scope="col">{t('column.denialReason')}</th>
                <th scope="col">{t('column.server')}</th>
                <th scope="col">{t('column.clientIp')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className={e.result}>
                  <td>
                    <time dateTime={e.at}>{formatDate(e.at)}</time>
                  </td>
                  <td>{e.username}</td>
                  <td>{[e.firstName, e.lastName].filter(Boolean).join(' ')}</td>
                  <td>{e.email}</td>
                  <td>{e.phone}</td>
                  <td className="log-token">{e.deviceToken}</td>
                  <td>{known('authMode', e.authMode)}</td>
                  <td>{known('event', e.event)}</td>
                  <td>{t(`result.${e.result}`)}</td>
                  <td>{e.denialReason ? known('denialReason', e.denialReason) : ''}</td>
                  <td>
                    {e.serverName}
                    {e.serverIp ? ` (${e.serverIp})` : ''}
                  </td>
                  <td>{e.clientIp}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {state.data && (state.data.newer || state.data.older) ? (
        <nav className="log-pages" aria-label={t('pages.label')}>
          <Button variant="secondary" disabled={!state.data.newer} onClick={() => state.data?.newer && goTo(state.data.newer)}>
            {t('pages.newer')}
          </Button>
          <Button variant="secondary" disabled={!state.data.older} onClick={() => state.data?.older && goTo(state.data.older)}>
            {t('pages.older')}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

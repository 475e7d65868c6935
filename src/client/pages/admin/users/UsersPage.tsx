import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import * as api from '../../../../shared/api/admin-users.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeading } from '../../../components/PageHeading.tsx';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { useRemote } from '../../../hooks/use-remote.ts';

/** Users by the start of a name, user name or e-mail, a page at a time; the search lives in the address, so Back works. */
export function UsersPage() {
  const { t } = useTranslation('admin');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const after = params.get('after') ?? undefined;
  const before = params.get('before') ?? undefined;
  const [text, setText] = useState(q);
  const inputId = useId();
  const withReauth = useReauth();
  const { state } = useRemote(
    (signal) =>
      withReauth(() => call(api.searchUsers, { query: { q, ...(after ? { after } : {}), ...(before ? { before } : {}) } }, { signal })),
    [q, after, before, withReauth],
  );

  function search(event: FormEvent) {
    event.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  }
  const page = (cursor: { after: string } | { before: string }) => setParams({ ...(q ? { q } : {}), ...cursor });
  const data = state.data;

  return (
    <div>
      <PageHeading title={t('users.title')}>{t('users.title')}</PageHeading>
      <form role="search" onSubmit={search} className="search-form">
        <div className="field">
          <label htmlFor={inputId}>{t('users.searchLabel')}</label>
          <p className="hint" id={`${inputId}-hint`}>
            {t('users.searchHint')}
          </p>
          <div className="search-row">
            <input
              id={inputId}
              type="search"
              value={text}
              maxLength={128}
              autoComplete="off"
              aria-describedby={`${inputId}-hint`}
              onChange={(e) => setText(e.target.value)}
            />
            <Button type="submit">{t('users.search')}</Button>
          </div>
        </div>
      </form>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'ready' && data?.users.length === 0 ? <p>{t('users.none')}</p> : null}
      {data && data.users.length > 0 ? (
        <ul className="user-list" aria-label={t('users.resultsLabel')} aria-busy={state.status === 'loading'}>
          {data.users.map((u) => (
            <li key={u.username} className="card user-item">
              <Link to={`/admin/users/${encodeURIComponent(u.username)}`}>{u.displayName}</Link>
              <span className="user-meta">{u.username}</span>
              {u.email ? <span className="user-meta">{u.email}</span> : null}
              {u.isAdmin ? <span className="badge">{t('users.admin')}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {data && (data.previous || data.next) ? (
        <nav aria-label={t('users.pagination')} className="actions">
          <Button variant="secondary" disabled={!data.previous} onClick={() => data.previous && page({ before: data.previous })}>
            {t('users.previous')}
          </Button>
          <Button variant="secondary" disabled={!data.next} onClick={() => data.next && page({ after: data.next })}>
            {t('users.next')}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

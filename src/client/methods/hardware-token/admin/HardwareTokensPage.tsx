import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import * as api from '../../../../shared/api/hardware-token.ts';
import { call } from '../../../api/client.ts';
import { Button, ButtonLink } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PageHeading } from '../../../components/PageHeading.tsx';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useRemote } from '../../../hooks/use-remote.ts';
import './admin-texts.ts';
import './hardware-tokens.css';
import { TokenActions } from './TokenActions.tsx';

/** Imported tokens by serial number, a page at a time; the search lives in the address, so Back works. */
export function HardwareTokensPage() {
  const { t } = useTranslation('hardware-token-admin');
  const formatDateTime = useFormatDateTime();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const after = params.get('after') ?? undefined;
  const [text, setText] = useState(q);
  const [message, setMessage] = useState('');
  const inputId = useId();
  const { state, reload } = useRemote(
    (signal) => call(api.listHardwareTokens, { query: { q, ...(after ? { after } : {}) } }, { signal }),
    [q, after],
  );
  const data = state.data;

  function search(event: FormEvent) {
    event.preventDefault();
    setMessage('');
    setParams(text.trim() ? { q: text.trim() } : {});
  }
  function changed(note: string) {
    setMessage(note);
    reload();
  }

  return (
    <div>
      <PageHeading title={t('title')}>{t('title')}</PageHeading>
      <div className="actions">
        <ButtonLink to="/admin/hardware-tokens/import">{t('importLink')}</ButtonLink>
      </div>
      <form role="search" onSubmit={search} className="search-form">
        <div className="field">
          <label htmlFor={inputId}>{t('searchLabel')}</label>
          <div className="search-row">
            <input id={inputId} type="search" value={text} maxLength={64} autoComplete="off" onChange={(e) => setText(e.target.value)} />
            <Button type="submit">{t('search')}</Button>
          </div>
        </div>
      </form>
      <p role="status" className="status">
        {message}
      </p>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {data ? <p>{t('total', { count: data.total })}</p> : null}
      {state.status === 'ready' && data?.tokens.length === 0 ? <p>{t('none')}</p> : null}
      {data && data.tokens.length > 0 ? (
        <div className="token-table-scroll" role="region" aria-labelledby="token-caption" tabIndex={0}>
          <table className="token-table" aria-busy={state.status === 'loading'}>
            <caption id="token-caption">{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('serial')}</th>
                <th scope="col">{t('manufacturer')}</th>
                <th scope="col">{t('model')}</th>
                <th scope="col">{t('kind')}</th>
                <th scope="col">{t('assignedTo')}</th>
                <th scope="col">{t('activated')}</th>
                <th scope="col">{t('lastUsed')}</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.tokens.map((token) => (
                <tr key={token.id}>
                  <th scope="row">{token.serial}</th>
                  <td>{token.manufacturer ?? ''}</td>
                  <td>{token.model ?? ''}</td>
                  <td>{token.kind === 'totp' ? t('kindTotp') : t('kindHotp')}</td>
                  <td>{token.assignedTo ?? t('nobody')}</td>
                  <td>{token.activated ? t('yes') : t('no')}</td>
                  <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('never')}</td>
                  <td className="token-actions">
                    <TokenActions token={token} onChanged={changed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && (after || data.next) ? (
        <nav aria-label={t('pagination')} className="actions">
          <Button variant="secondary" disabled={!after} onClick={() => setParams(q ? { q } : {})}>
            {t('first')}
          </Button>
          <Button
            variant="secondary"
            disabled={!data.next}
            onClick={() => data.next && setParams({ ...(q ? { q } : {}), after: data.next })}
          >
            {t('next')}
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

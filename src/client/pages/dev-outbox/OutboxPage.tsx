import { useTranslation } from 'react-i18next';
import * as api from '../../../shared/api/dev.ts';
import { call } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useFormatDateTime } from '../../hooks/use-format.ts';
import { useRemote } from '../../hooks/use-remote.ts';
import { Button } from '../../components/Button.tsx';

/** Web addresses in a message become links, as a mail program shows them. */
function linkified(body: string) {
  return body.split(/(https?:\/\/\S+)/).map((part, i) =>
    i % 2 === 1 ? (
      <a key={i} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}

/** Development only: what the outbox provider "delivered" (the server does not serve its API in production). */
export function OutboxPage() {
  const { t } = useTranslation('dev');
  const formatDate = useFormatDateTime();
  const { state, reload } = useRemote((signal) => call(api.readOutbox, { query: { limit: 100 } }, { signal }), []);
  const messages = state.data?.messages ?? [];
  return (
    <div>
      <PageHeading title={t('outbox.title')}>{t('outbox.title')}</PageHeading>
      <p className="lead">{t('outbox.intro')}</p>
      <Button variant="secondary" onClick={reload}>
        {t('outbox.refresh')}
      </Button>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {state.status === 'ready' && messages.length === 0 ? <p>{t('outbox.empty')}</p> : null}
      <ol className="outbox-list">
        {messages.map((m) => (
          <li key={m.id} className="card">
            <p>
              <strong>{t(`outbox.channel.${m.channel}`)}</strong> → {m.to} · <time dateTime={m.createdAt}>{formatDate(m.createdAt)}</time>
            </p>
            {m.subject ? <p className="outbox-subject">{m.subject}</p> : null}
            <pre className="outbox-body">{linkified(m.body)}</pre>
          </li>
        ))}
      </ol>
    </div>
  );
}

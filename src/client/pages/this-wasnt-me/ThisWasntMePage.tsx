import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
// The page's texts come with its code.
import '../../i18n/this-wasnt-me-namespace.ts';
import * as api from '../../../shared/api/report-link.ts';
import { call } from '../../api/client.ts';
import { useSession } from '../../api/session.tsx';
import { Button, ButtonLink } from '../../components/Button.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeading } from '../../components/PageHeading.tsx';
import { useAction } from '../../hooks/use-action.ts';

/**
 * "This wasn't me", opened from the link in a security e-mail. Works signed in
 * or not: the token in the link's fragment is the proof (docs/reference.md#this-wasnt-me).
 * Nothing happens until the user confirms; a used or expired link gets the server's neutral answer.
 */
export function ThisWasntMePage() {
  const { t } = useTranslation('this-wasnt-me');
  const { hash } = useLocation();
  const { refresh } = useSession();
  const token = hash.replace(/^#/, '');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();

  const confirm = () =>
    run(async () => {
      await call(api.reportNotMe, { body: { token } });
      setDone(true);
      // This browser's session, if it was one of theirs, has ended with the others.
      await refresh();
    });

  return (
    <div className="this-wasnt-me">
      <PageHeading title={done ? t('doneTitle') : t('title')}>{done ? t('doneTitle') : t('title')}</PageHeading>
      {done ? (
        <>
          <p role="status">{t('done')}</p>
          <section className="card" aria-labelledby="next-heading">
            <h2 id="next-heading">{t('nextTitle')}</h2>
            <ol>
              <li>{t('next.password')}</li>
              <li>{t('next.review')}</li>
              <li>{t('next.admin')}</li>
            </ol>
            <ButtonLink to="/sign-in">{t('signIn')}</ButtonLink>
          </section>
        </>
      ) : !token ? (
        <p className="alert alert-warning">{t('missing')}</p>
      ) : (
        <section className="card" aria-labelledby="confirm-heading">
          <h2 id="confirm-heading" className="visually-hidden">
            {t('confirm')}
          </h2>
          <p>{t('intro')}</p>
          <ul>
            <li>{t('effects.sessions')}</li>
            <li>{t('effects.appPasswords')}</li>
            <li>{t('effects.admin')}</li>
          </ul>
          <p>{t('warning')}</p>
          <ErrorAlert error={error} />
          {error ? null : (
            <div className="actions">
              <Button variant="danger" disabled={busy} onClick={() => void confirm()}>
                {busy ? t('working') : t('confirm')}
              </Button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

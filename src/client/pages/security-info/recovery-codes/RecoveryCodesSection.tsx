import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/recovery-codes.ts';
import { call } from '../../../api/client.ts';
import { useSession } from '../../../api/session.tsx';
import { Button } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useRemote } from '../../../hooks/use-remote.ts';

// The dialog (and its copy and download) loads when it is first opened, not with the page.
const RecoveryCodesDialog = lazy(async () => ({ default: (await import('./RecoveryCodesDialog.tsx')).RecoveryCodesDialog }));

/** Recovery codes on the Security info page: how many are left, a warning when few are, and a new set. Not a method, so not in the method list. */
export function RecoveryCodesSection() {
  const { t } = useTranslation('recovery-codes');
  const formatDate = useFormatDateTime();
  const { refresh } = useSession();
  const { state, set } = useRemote((signal) => call(api.getRecoveryCodes, {}, { signal }), []);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const info = state.data;
  if (info && !info.enabled) return null;
  const hasSet = info?.generatedAt != null;

  return (
    <section className="card recovery-codes-section" aria-labelledby="recovery-codes-heading">
      <h2 id="recovery-codes-heading">{t('section.title')}</h2>
      <p>{t('section.intro')}</p>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {info ? (
        <>
          {hasSet ? (
            <p>
              {t('section.remaining', { count: info.remaining, total: info.total })}{' '}
              {info.generatedAt ? t('section.generatedAt', { when: formatDate(info.generatedAt) }) : null}
            </p>
          ) : (
            <p>{t('section.none')}</p>
          )}
          {hasSet && info.low ? (
            <p className="alert alert-warning">{info.remaining === 0 ? t('section.empty') : t('section.low', { count: info.remaining })}</p>
          ) : null}
          <Button variant={hasSet ? 'secondary' : 'primary'} onClick={() => setOpen(true)}>
            {hasSet ? t('section.regenerate') : t('section.generate')}
          </Button>
        </>
      ) : null}
      <p role="status" className="status">
        {status}
      </p>
      {open ? (
        <Suspense fallback={null}>
          <RecoveryCodesDialog
            open
            replacing={hasSet}
            onClose={(next) => {
              setOpen(false);
              if (next) {
                set(next);
                setStatus(hasSet ? t('dialog.generated') : t('dialog.generatedFirst'));
                // The second step and re-verification now offer a recovery code.
                void refresh();
              }
            }}
          />
        </Suspense>
      ) : null}
    </section>
  );
}

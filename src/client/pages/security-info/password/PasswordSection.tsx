import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/security-info.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useRemote } from '../../../hooks/use-remote.ts';

// The dialog, its texts and the strength meter load when it is first opened, not with the page.
const ChangePasswordDialog = lazy(async () => ({ default: (await import('./ChangePasswordDialog.tsx')).ChangePasswordDialog }));

/** The password on Security info: when it was last changed, and Change (docs/reference.md#changing-the-password). */
export function PasswordSection() {
  const { t } = useTranslation('security-info');
  const formatDate = useFormatDateTime();
  const { state, set } = useRemote((signal) => call(api.getPassword, {}, { signal }), []);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const info = state.data;

  return (
    <section className="card password-section" aria-labelledby="password-heading">
      <h2 id="password-heading">{t('password.title')}</h2>
      <ErrorAlert error={state.status === 'error' ? state.error : null} />
      {info ? (
        <>
          <p>{t('password.changedAt', { when: formatDate(info.changedAt) })}</p>
          <Button
            variant="secondary"
            aria-label={t('password.changeNamed')}
            onClick={() => {
              setStatus('');
              setOpen(true);
            }}
          >
            {t('password.change')}
          </Button>
        </>
      ) : null}
      <p role="status" className="status">
        {status}
      </p>
      {open && info ? (
        <Suspense fallback={null}>
          <ChangePasswordDialog
            status={info}
            onClose={(changed) => {
              setOpen(false);
              if (changed) {
                set(changed.status);
                setStatus(changed.message);
              }
            }}
          />
        </Suspense>
      ) : null}
    </section>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
// The admin texts come with the admin pages' code.
import '../../../i18n/admin-namespace.ts';
import * as api from '../../../../shared/api/temporary-access-pass.ts';
import type { OrgPolicy } from '../../../../shared/policy.ts';
import { call } from '../../../api/client.ts';
import { Button } from '../../../components/Button.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { Dialog } from '../../../components/Dialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';

interface Props {
  open: boolean;
  username: string;
  name: string;
  defaults: OrgPolicy['temporaryAccessPass'];
  replacesActive: boolean;
  onClose(): void;
}

type Step = { name: 'form' } | { name: 'shown'; pass: string; expiresAt: string };

/**
 * Issues a pass (lifetime, one-time or reusable, an optional start) and shows it exactly once:
 * the value lives only in this dialog's state, and closing it forgets it.
 */
export function IssuePassDialog({ open, username, name, defaults, replacesActive, onClose }: Props) {
  const { t } = useTranslation(['admin', 'common']);
  const formatDate = useFormatDateTime();
  const withReauth = useReauth();
  const { busy, error, setError, run } = useAction();
  const [step, setStep] = useState<Step>({ name: 'form' });
  const [lifetime, setLifetime] = useState(String(defaults.defaultLifetimeMinutes));
  const [oneTime, setOneTime] = useState(defaults.oneTimeByDefault);
  const [startsAt, setStartsAt] = useState('');
  const id = useId();

  function close() {
    setStep({ name: 'form' });
    setLifetime(String(defaults.defaultLifetimeMinutes));
    setOneTime(defaults.oneTimeByDefault);
    setStartsAt('');
    setError(null);
    onClose();
  }

  function issue(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      // A datetime-local value is the administrator's local time; the API takes an instant.
      const start = startsAt ? new Date(startsAt).toISOString() : undefined;
      const res = await withReauth(() =>
        call(api.issueTemporaryAccessPass, {
          params: { username },
          body: { lifetimeMinutes: Number(lifetime), oneTime, ...(start ? { startsAt: start } : {}) },
        }),
      );
      setStep({ name: 'shown', pass: res.pass, expiresAt: res.expiresAt });
    });
  }

  return (
    <Dialog
      open={open}
      title={step.name === 'shown' ? t('pass.shown.title') : t('pass.dialog.title')}
      onClose={close}
      actions={
        step.name === 'shown' ? (
          <Button onClick={close}>{t('pass.shown.done')}</Button>
        ) : (
          <Button variant="secondary" onClick={close}>
            {t('common:cancel')}
          </Button>
        )
      }
    >
      {step.name === 'form' ? (
        <form onSubmit={issue} noValidate>
          <div className="field">
            <label htmlFor={`${id}-lifetime`}>{t('pass.dialog.lifetime')}</label>
            <p className="hint" id={`${id}-lifetime-hint`}>
              {t('pass.dialog.lifetimeHint')}
            </p>
            <input
              id={`${id}-lifetime`}
              inputMode="numeric"
              className="number-input"
              value={lifetime}
              aria-describedby={`${id}-lifetime-hint`}
              onChange={(e) => setLifetime(e.target.value)}
            />
          </div>
          <fieldset>
            <legend>{t('pass.dialog.use')}</legend>
            <div className="radio">
              <input type="radio" id={`${id}-once`} name={`${id}-use`} checked={oneTime} onChange={() => setOneTime(true)} />
              <label htmlFor={`${id}-once`}>{t('pass.dialog.oneTime')}</label>
            </div>
            <div className="radio">
              <input type="radio" id={`${id}-reusable`} name={`${id}-use`} checked={!oneTime} onChange={() => setOneTime(false)} />
              <label htmlFor={`${id}-reusable`}>{t('pass.dialog.reusable')}</label>
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-start`}>{t('pass.dialog.startsAt')}</label>
            <p className="hint" id={`${id}-start-hint`}>
              {t('pass.dialog.startsAtHint')}
            </p>
            <input
              id={`${id}-start`}
              type="datetime-local"
              value={startsAt}
              aria-describedby={`${id}-start-hint`}
              onChange={(e) => setStartsAt(e.target.value)}
            />
          </div>
          {replacesActive ? <p className="hint">{t('pass.dialog.replaces')}</p> : null}
          <ErrorAlert error={error} />
          <Button type="submit" disabled={busy}>
            {t('pass.dialog.submit')}
          </Button>
        </form>
      ) : (
        <>
          <p>{t('pass.shown.once', { name })}</p>
          <div className="app-password-value">
            <code>{step.pass}</code>
            <CopyButton value={step.pass} label={t('pass.shown.copy')} />
          </div>
          <p>{t('pass.shown.expires', { expires: formatDate(step.expiresAt) })}</p>
        </>
      )}
    </Dialog>
  );
}

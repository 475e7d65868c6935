import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/app-passwords.ts';
import { call } from '../../../api/client.ts';
import { Dialog } from '../../../components/Dialog.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';
import { Button } from '../../../components/Button.tsx';

type Step = { name: 'naming' } | { name: 'shown'; label: string; password: string; mailServers: api.MailServer[] };

/**
 * Names a new app password, then shows it exactly once. The value lives only
 * in this component's state: closing the dialog forgets it for good.
 */
export function NewAppPasswordDialog({ open, onClose }: { open: boolean; onClose(created: boolean): void }) {
  const { t } = useTranslation(['app-passwords', 'common']);
  const withReauth = useReauth();
  const [step, setStep] = useState<Step>({ name: 'naming' });
  const [label, setLabel] = useState('');
  const { busy, error, setError, run } = useAction();
  const nameId = useId();

  function close() {
    const created = step.name === 'shown';
    setStep({ name: 'naming' });
    setLabel('');
    setError(null);
    onClose(created);
  }

  function create(event: FormEvent) {
    event.preventDefault();
    return run(async () => {
      const res = await withReauth(() => call(api.createAppPassword, { body: { name: label.trim() } }));
      setStep({ name: 'shown', label: res.item.name, password: res.password, mailServers: res.mailServers });
    });
  }

  return (
    <Dialog
      open={open}
      title={step.name === 'shown' ? t('shownOnce.title') : t('createDialog.title')}
      onClose={close}
      actions={
        step.name === 'shown' ? (
          <Button onClick={close}>{t('shownOnce.done')}</Button>
        ) : (
          <Button variant="secondary" onClick={close}>
            {t('common:cancel')}
          </Button>
        )
      }
    >
      {step.name === 'naming' ? (
        <form onSubmit={(e) => void create(e)} id="new-app-password">
          <div className="field">
            <label htmlFor={nameId}>{t('createDialog.nameLabel')}</label>
            <p className="hint" id={`${nameId}-hint`}>
              {t('createDialog.nameHint')}
            </p>
            <input
              id={nameId}
              value={label}
              maxLength={64}
              required
              aria-describedby={`${nameId}-hint`}
              onChange={(e) => setLabel(e.target.value)}
              autoComplete="off"
            />
          </div>
          <ErrorAlert error={error} />
          <Button type="submit" disabled={busy || !label.trim()}>
            {t('createDialog.submit')}
          </Button>
        </form>
      ) : (
        <>
          <p className="alert alert-warning">{t('shownOnce.warning')}</p>
          <p className="app-password-value">
            <code aria-label={t('shownOnce.spoken', { value: step.password.split('').join(' ') })}>{step.password}</code>{' '}
            <CopyButton value={step.password} label={t('shownOnce.copy')} />
          </p>
          <p className="visually-hidden">{t('shownOnce.label', { name: step.label })}</p>
          <h3>{t('help.title')}</h3>
          <ol className="help-steps">
            <li>{t('help.step1')}</li>
            <li>{t('help.step2')}</li>
            <li>{t('help.step3')}</li>
            {step.mailServers.length > 0 && (
              <li>
                {t('help.servers')}
                <ul aria-label={t('help.serversLabel')}>
                  {step.mailServers.map((s) => (
                    <li key={s.protocol}>{t(`help.server.${s.protocol}`, { host: s.host, port: s.port })}</li>
                  ))}
                </ul>
              </li>
            )}
          </ol>
          <p className="hint">{t('help.error')}</p>
        </>
      )}
    </Dialog>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as api from '../../../../shared/api/recovery-codes.ts';
import { call } from '../../../api/client.ts';
import { useSession } from '../../../api/session.tsx';
import { Button } from '../../../components/Button.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { Dialog } from '../../../components/Dialog.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { useFormatDateTime } from '../../../hooks/use-format.ts';
import { useReauth } from '../../../hooks/use-reauth.tsx';

type Step = { name: 'confirm' } | { name: 'shown'; codes: string[]; status: api.RecoveryCodeStatus };

/** Saves the codes as a text file, made in the browser: they never travel again. */
function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * Generates a set of recovery codes (replacing any earlier set) and shows it
 * exactly once. The codes live only in this component's state: closing the
 * dialog forgets them for good.
 */
export function RecoveryCodesDialog({
  open,
  replacing,
  onClose,
}: {
  open: boolean;
  /** The user has a set already: say that it will stop working. */
  replacing: boolean;
  /** The new status once codes were generated, or null when nothing changed. */
  onClose(status: api.RecoveryCodeStatus | null): void;
}) {
  const { t } = useTranslation(['recovery-codes', 'common']);
  const { session } = useSession();
  const withReauth = useReauth();
  const formatDate = useFormatDateTime();
  const [step, setStep] = useState<Step>({ name: 'confirm' });
  const { busy, error, setError, run } = useAction();

  function close() {
    const status = step.name === 'shown' ? step.status : null;
    setStep({ name: 'confirm' });
    setError(null);
    onClose(status);
  }

  const generate = () =>
    run(async () => {
      const { codes, status } = await withReauth(() => call(api.generateRecoveryCodes, {}));
      setStep({ name: 'shown', codes, status });
    });

  if (step.name === 'shown') {
    const state = session?.state;
    const name = state && 'user' in state ? state.user.displayName : '';
    const when = step.status.generatedAt ? formatDate(step.status.generatedAt) : '';
    const text = `${t('dialog.fileHeading', { name, when })}\n\n${step.codes.join('\n')}\n`;
    return (
      <Dialog open={open} title={t('dialog.shownTitle')} onClose={close} actions={<Button onClick={close}>{t('dialog.saved')}</Button>}>
        <p>{t('dialog.shownIntro')}</p>
        <ol className="recovery-codes" aria-label={t('dialog.listLabel')}>
          {step.codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ol>
        <div className="actions">
          <CopyButton value={step.codes.join('\n')} label={t('dialog.copy')} />
          <Button variant="secondary" onClick={() => download(t('dialog.fileName'), text)}>
            {t('dialog.download')}
          </Button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      title={t('dialog.title')}
      onClose={close}
      actions={
        <>
          <Button variant="secondary" onClick={close}>
            {t('common:cancel')}
          </Button>
          <Button disabled={busy} onClick={() => void generate()}>
            {t('dialog.generate')}
          </Button>
        </>
      }
    >
      <p>{replacing ? t('dialog.regenerateBody') : t('dialog.generateBody')}</p>
      <ErrorAlert error={error} />
    </Dialog>
  );
}

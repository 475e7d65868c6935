import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { WebAuthnClientError } from './webauthn-browser.ts';

/**
 * Browser-side WebAuthn problems get their own sentences; server answers go
 * through the common alert. While adding a key, the user is also told that
 * nothing was saved, so they know there is no half-registered key to clean up.
 */
export function WebAuthnErrorAlert({ error, nothingSaved = false }: { error: unknown; nothingSaved?: boolean }) {
  const { t } = useTranslation('webauthn');
  if (error instanceof WebAuthnClientError) {
    return (
      <p role="alert" className="alert alert-error">
        {t(`problem.${error.problem}`)}
        {nothingSaved ? ` ${t('setup.nothingSaved')}` : null}
      </p>
    );
  }
  return <ErrorAlert error={error} />;
}

import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { WebAuthnClientError } from './webauthn-browser.ts';

/** Browser-side WebAuthn problems get their own sentences; server answers go through the common alert. */
export function WebAuthnErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation('webauthn');
  if (error instanceof WebAuthnClientError) {
    return (
      <p role="alert" className="alert alert-error">
        {t(`problem.${error.problem}`)}
      </p>
    );
  }
  return <ErrorAlert error={error} />;
}

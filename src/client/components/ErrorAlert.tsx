import { useTranslation } from 'react-i18next';
import { describeError } from './describe-error.ts';

/**
 * An error in the user's language. The error texts are a namespace of their own, fetched the first
 * time an error is shown (i18n/languages.ts), so nothing asks for them while there is no error.
 */
export function ErrorAlert({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  return <ErrorMessage error={error} id={id} />;
}

function ErrorMessage({ error, id }: { error: unknown; id: string | undefined }) {
  const { t } = useTranslation('errors');
  return (
    <p role="alert" className="alert alert-error" id={id}>
      {describeError(t, error)}
    </p>
  );
}

import { useTranslation } from 'react-i18next';
import { describeError } from './describe-error.ts';

export function ErrorAlert({ error, id }: { error: unknown; id?: string }) {
  const { t } = useTranslation('errors');
  if (!error) return null;
  return (
    <p role="alert" className="alert alert-error" id={id}>
      {describeError(t, error)}
    </p>
  );
}

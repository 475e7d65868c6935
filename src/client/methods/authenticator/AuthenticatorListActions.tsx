import { useTranslation } from 'react-i18next';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { ButtonLink } from '../../components/Button.tsx';

/** New phone: set the app up again without deleting the method first. */
export function AuthenticatorListActions({ method }: { method: MethodSummary }) {
  const { t } = useTranslation('methods');
  return (
    <ButtonLink
      variant="secondary"
      to={`/security-info/authenticator/${method.id}/reconfigure`}
      aria-label={t('authenticator.reconfigureNamed', { label: method.label })}
    >
      {t('authenticator.reconfigure')}
    </ButtonLink>
  );
}

import { useTranslation } from 'react-i18next';
import type { MethodSummary } from '../../../shared/api/common.ts';
import { ButtonLink } from '../../components/Button.tsx';

/** A new number is proved on its own page before it replaces the old one. */
export function PhoneListActions({ method }: { method: MethodSummary }) {
  const { t } = useTranslation('phone');
  return (
    <ButtonLink
      variant="secondary"
      to={`/security-info/phone/${method.id}/change`}
      aria-label={t('change.actionNamed', { label: method.label })}
    >
      {t('change.action')}
    </ButtonLink>
  );
}

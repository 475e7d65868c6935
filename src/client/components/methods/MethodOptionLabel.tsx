import { useTranslation } from 'react-i18next';
import type { SignInOption } from '../../../shared/api/common.ts';

/** How a registered method is offered for verifying: sign-in's second step and the re-verification dialog. */
export function MethodOptionLabel({ option }: { option: SignInOption }) {
  const { t } = useTranslation('sign-in');
  const detail = option.detail ? ` (${option.detail})` : '';
  return <>{t(`secondFactor.option.${option.kind}`, { label: option.label }) + detail}</>;
}

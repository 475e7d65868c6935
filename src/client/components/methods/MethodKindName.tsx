import { useTranslation } from 'react-i18next';
import type { MethodKind } from '../../../shared/policy.ts';

export function useMethodKindName(): (kind: MethodKind) => string {
  const { t } = useTranslation('methods');
  return (kind) => t(`kind.${kind}`);
}

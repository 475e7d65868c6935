import { useTranslation } from 'react-i18next';
import type { MethodSummary } from '../../../shared/api/common.ts';
import type { MethodKind } from '../../../shared/policy.ts';

export function useMethodKindName(): (kind: MethodKind) => string {
  const { t } = useTranslation('methods');
  return (kind) => t(`kind.${kind}`);
}

/** "Phone – Mobile phone (+48 512 345 678)"; the kind is left out when the name already says it. */
export function useMethodTitle(): (method: Pick<MethodSummary, 'kind' | 'label' | 'detail'>) => string {
  const kindName = useMethodKindName();
  return ({ kind, label, detail }) => {
    const name = label === kindName(kind) ? label : `${kindName(kind)} – ${label}`;
    return detail ? `${name} (${detail})` : name;
  };
}

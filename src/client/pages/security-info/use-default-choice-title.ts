import { useTranslation } from 'react-i18next';
import { useMethodTitle } from '../../components/methods/MethodKindName.tsx';
import type { DefaultChoice } from './default-choices.ts';

/** "Mobile phone (+48 …) – text" for a phone choice; the method's own title otherwise. */
export function useDefaultChoiceTitle(): (choice: Pick<DefaultChoice, 'method' | 'delivery'>) => string {
  const { t } = useTranslation('security-info');
  const methodTitle = useMethodTitle();
  return ({ method, delivery }) => (delivery ? t(`default.delivery.${delivery}`, { method: methodTitle(method) }) : methodTitle(method));
}

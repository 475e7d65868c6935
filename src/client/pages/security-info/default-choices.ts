import { useTranslation } from 'react-i18next';
import type { MethodSummary, PhoneDelivery } from '../../../shared/api/common.ts';
import type { SecurityInfo } from '../../../shared/api/security-info.ts';
import { useMethodTitle } from '../../components/methods/MethodKindName.tsx';

/** One entry of "Which method do you want to use to sign in?": a method, and for a phone whether it is texted or called. */
export interface DefaultChoice {
  /** The select's value. */
  key: string;
  method: MethodSummary;
  delivery?: PhoneDelivery;
}

const keyOf = (methodId: string, delivery?: PhoneDelivery | null) => (delivery ? `${methodId}:${delivery}` : methodId);

/** The usable methods as default choices; a phone once per way the policy lets its code arrive (docs/reference.md#default-method). */
export function defaultChoices(info: SecurityInfo): DefaultChoice[] {
  return info.methods
    .filter((m) => !m.turnedOff)
    .flatMap((method) =>
      method.deliveries && method.deliveries.length > 0
        ? method.deliveries.map((delivery) => ({ key: keyOf(method.id, delivery), method, delivery }))
        : [{ key: keyOf(method.id), method }],
    );
}

/** The current default's choice: exact where the default names a delivery, else the method's first. */
export function currentDefaultChoice(info: SecurityInfo, choices: DefaultChoice[]): DefaultChoice | undefined {
  if (!info.defaultMethodId) return undefined;
  const exact = keyOf(info.defaultMethodId, info.defaultDelivery);
  return choices.find((c) => c.key === exact) ?? choices.find((c) => c.method.id === info.defaultMethodId);
}

/** Whether `choice` is exactly what is stored, so choosing it again changes nothing. */
export function isStoredDefault(info: SecurityInfo, choice: DefaultChoice | undefined): boolean {
  return choice !== undefined && choice.key === keyOf(info.defaultMethodId ?? '', info.defaultDelivery);
}

/** "Mobile phone (+48 …) – text" for a phone choice; the method's own title otherwise. */
export function useDefaultChoiceTitle(): (choice: Pick<DefaultChoice, 'method' | 'delivery'>) => string {
  const { t } = useTranslation('security-info');
  const methodTitle = useMethodTitle();
  return ({ method, delivery }) => (delivery ? t(`default.delivery.${delivery}`, { method: methodTitle(method) }) : methodTitle(method));
}

import type { OrgPolicy } from '../policy.ts';
import type { PhoneDelivery, PhoneKind } from '../api/common.ts';

// Functions of the phone contract live here, away from its schemas: the client's build replaces
// the schema modules with generated checks (scripts/contract-validators.ts) and keeps these.

/** Only a mobile phone receives text messages; every kind can take a call. */
export function deliveriesFor(kind: PhoneKind): readonly PhoneDelivery[] {
  return kind === 'mobile' ? ['sms', 'voice'] : ['voice'];
}

/**
 * How a phone of this kind may receive a code under the organisation's policy:
 * none when phones, its kind (alternate, office) or every delivery it could
 * take is turned off. A phone with none is turned off.
 */
export function allowedDeliveries(kind: PhoneKind, policy: Pick<OrgPolicy, 'enabledMethods' | 'phoneOptions'>): PhoneDelivery[] {
  const options = policy.phoneOptions;
  if (!policy.enabledMethods.phone) return [];
  if ((kind === 'alternate' && !options.alternate) || (kind === 'office' && !options.office)) return [];
  return deliveriesFor(kind).filter((d) => (d === 'sms' ? options.sms : options.voice));
}

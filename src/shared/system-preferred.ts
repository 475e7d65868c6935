import type { MethodKind } from './policy.ts';

/*
 * The system-preferred method (docs/reference.md#stronger-methods-first): at the second step
 * the user is asked first for the strongest usable method they have, whatever they chose as
 * default. Pure, so the one ordering is tested for every combination of kinds.
 */

type Delivery = 'sms' | 'voice';

/** The ways of verifying, strongest first: a phone counts once per way its code arrives. */
export const waysStrongestFirst = ['webauthn', 'hardware_token', 'authenticator', 'voice', 'sms'] as const;
export type WayOfVerifying = (typeof waysStrongestFirst)[number];

/** What the ordering reads of a sign-in option; the rest of the option is carried along. */
export interface RankedOption {
  kind: MethodKind;
  isDefault: boolean;
  turnedOff: boolean;
  /** For phones: how a code may reach it under the policy. */
  deliveries?: readonly Delivery[] | undefined;
}

/**
 * The ways one option offers, strongest first. A phone offers its deliveries; a phone none of
 * whose deliveries the policy allows offers nothing (and is turned off anyway).
 */
export function waysOf(option: Pick<RankedOption, 'kind' | 'deliveries'>): WayOfVerifying[] {
  const ways: readonly WayOfVerifying[] = option.kind === 'phone' ? (option.deliveries ?? []) : [option.kind];
  return [...ways].sort((a, b) => waysStrongestFirst.indexOf(a) - waysStrongestFirst.indexOf(b));
}

/** An option's place: its strongest way's index in `waysStrongestFirst` (lower is stronger); none at all ranks last. */
function rank(option: RankedOption): number {
  if (option.turnedOff) return waysStrongestFirst.length + 1;
  const [strongest] = waysOf(option);
  return strongest === undefined ? waysStrongestFirst.length : waysStrongestFirst.indexOf(strongest);
}

/**
 * The second step's options in system-preferred order: usable ones by their strongest way
 * (passkey or security key, hardware token, authenticator app, phone call, text message), the
 * default first among equals, otherwise as given; turned-off ones last, as given. A phone's
 * deliveries are ordered the same way, so a phone that can be called is offered a call first.
 */
export function systemPreferredOrder<T extends RankedOption>(options: readonly T[]): T[] {
  return options
    .map((option, index) => ({ option, index, rank: rank(option) }))
    .sort((a, b) => a.rank - b.rank || Number(b.option.isDefault) - Number(a.option.isDefault) || a.index - b.index)
    .map(({ option }) =>
      option.deliveries ? { ...option, deliveries: waysOf(option).filter((w): w is Delivery => w === 'sms' || w === 'voice') } : option,
    );
}

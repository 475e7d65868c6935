import { describe, expect, it } from 'vitest';
import { systemPreferredOrder, waysOf, type RankedOption } from './system-preferred.ts';

type Option = RankedOption & { id: string };

/** One of each way a method can be offered; a mobile phone may be texted, called, or both. */
const catalogue: Option[] = [
  { id: 'sms-phone', kind: 'phone', deliveries: ['sms'], isDefault: false, turnedOff: false },
  { id: 'office-phone', kind: 'phone', deliveries: ['voice'], isDefault: false, turnedOff: false },
  { id: 'mobile-phone', kind: 'phone', deliveries: ['sms', 'voice'], isDefault: false, turnedOff: false },
  { id: 'app', kind: 'authenticator', isDefault: false, turnedOff: false },
  { id: 'token', kind: 'hardware_token', isDefault: false, turnedOff: false },
  { id: 'passkey', kind: 'webauthn', isDefault: false, turnedOff: false },
];

/** The expected place of each, written out by hand: passkey > token > app > call > text. */
const expectedRank: Record<string, number> = { passkey: 0, token: 1, app: 2, 'mobile-phone': 3, 'office-phone': 3, 'sms-phone': 4 };

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((s) => [...s, item])], [[]]);
}

const ids = (options: readonly Option[]) => options.map((o) => o.id);

describe('systemPreferredOrder', () => {
  const combinations = subsets(catalogue).filter((s) => s.length > 0);

  it('covers every combination of kinds and phone deliveries', () => {
    expect(combinations).toHaveLength(63);
  });

  it.each(combinations.map((c) => [ids(c).join(' + '), c] as const))('%s: strongest first, whichever is the default', (_, combo) => {
    // Every method of the combination in turn as the default, and none.
    for (const defaultId of [null, ...ids(combo)]) {
      const given = combo.map((o) => ({ ...o, isDefault: o.id === defaultId }));
      const ordered = systemPreferredOrder(given);
      expect(ordered).toHaveLength(given.length);
      const ranks = ordered.map((o) => expectedRank[o.id]!);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(ranks[0]).toBe(Math.min(...combo.map((o) => expectedRank[o.id]!)));
      // Among equals (two phones that can be called) the default comes first, otherwise the order given.
      const tied = ordered.filter((o) => expectedRank[o.id] === ranks[0]);
      const defaultTied = tied.find((o) => o.isDefault);
      expect(tied[0]!.id).toBe(defaultTied?.id ?? ids(given).find((id) => tied.some((o) => o.id === id)));
      // A phone that can be called is offered the call first.
      for (const o of ordered) if (o.kind === 'phone') expect(o.deliveries?.[0]).toBe(o.deliveries?.includes('voice') ? 'voice' : 'sms');
    }
  });

  it.each(combinations.map((c) => [ids(c).join(' + '), c] as const))(
    '%s: a method the policy turned off goes last, usable ones keep their order',
    (_, combo) => {
      for (const off of ids(combo)) {
        const ordered = systemPreferredOrder(combo.map((o) => ({ ...o, turnedOff: o.id === off })));
        expect(ordered.at(-1)!.id).toBe(off);
        expect(ids(ordered.slice(0, -1))).toEqual(ids(systemPreferredOrder(combo.filter((o) => o.id !== off))));
      }
    },
  );

  it('keeps the rest of each option and does not change what it was given', () => {
    const given: Array<Option & { label: string }> = [
      { id: 'm', kind: 'phone', deliveries: ['sms', 'voice'], isDefault: true, turnedOff: false, label: 'Mobile' },
      { id: 'a', kind: 'authenticator', isDefault: false, turnedOff: false, label: 'App' },
    ];
    expect(systemPreferredOrder(given)).toEqual([
      { id: 'a', kind: 'authenticator', isDefault: false, turnedOff: false, label: 'App' },
      { id: 'm', kind: 'phone', deliveries: ['voice', 'sms'], isDefault: true, turnedOff: false, label: 'Mobile' },
    ]);
    expect(given[0]!.deliveries).toEqual(['sms', 'voice']);
  });

  it('names the ways each kind offers', () => {
    expect(waysOf({ kind: 'webauthn' })).toEqual(['webauthn']);
    expect(waysOf({ kind: 'phone', deliveries: ['sms', 'voice'] })).toEqual(['voice', 'sms']);
    expect(waysOf({ kind: 'phone', deliveries: [] })).toEqual([]);
  });
});

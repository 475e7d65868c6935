import { createContext, useContext, type ReactNode } from 'react';
import type { MethodKind } from '../../../shared/policy.ts';
import type { MethodKindEntry } from './method-kind-entry.ts';

const MethodKindsContext = createContext<readonly MethodKindEntry[] | null>(null);

/**
 * The method kinds this client supports, handed down from the top of the app,
 * so that components, hooks and pages use kinds without importing them (the
 * kinds sit above those layers).
 */
export function MethodKindsProvider({ kinds, children }: { kinds: readonly MethodKindEntry[]; children: ReactNode }) {
  return <MethodKindsContext.Provider value={kinds}>{children}</MethodKindsContext.Provider>;
}

export function useMethodKinds(): readonly MethodKindEntry[] {
  const kinds = useContext(MethodKindsContext);
  if (!kinds) throw new Error('useMethodKinds outside MethodKindsProvider');
  return kinds;
}

/** The entry for a kind, or undefined for a kind the server knows and this client does not (yet). */
export function entryOf(kinds: readonly MethodKindEntry[], kind: MethodKind | string | undefined): MethodKindEntry | undefined {
  return kinds.find((entry) => entry.kind === kind);
}

/** Kinds in the order they are offered for adding: strongest first. */
export function byStrength(kinds: readonly MethodKindEntry[]): MethodKindEntry[] {
  return [...kinds].sort((a, b) => b.strength - a.strength);
}

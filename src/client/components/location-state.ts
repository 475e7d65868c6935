/**
 * A string a page left in the router's location state for the next one (a
 * status message, where to return after sign-in). The state is whatever the
 * history entry holds, possibly from an older version of the app, so it is
 * checked rather than trusted.
 */
export function stateString(state: unknown, key: string): string | undefined {
  if (typeof state !== 'object' || state === null || !(key in state)) return undefined;
  const value: unknown = Reflect.get(state, key);
  return typeof value === 'string' ? value : undefined;
}

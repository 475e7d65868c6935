import { Suspense } from 'react';
import type { SignInOption } from '../../../shared/api/common.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { Loading } from '../Loading.tsx';
import { entryOf, useMethodKinds } from './method-kinds-context.tsx';

/** The form that proves the user with one registered method; each kind brings its own. */
export function VerifyWithMethod({ option, onVerified }: { option: SignInOption; onVerified(next: SessionInfo): void }) {
  const entry = entryOf(useMethodKinds(), option.kind);
  if (!entry) return null;
  return (
    <Suspense fallback={<Loading />}>
      <entry.Verify key={option.methodId} option={option} onVerified={onVerified} />
    </Suspense>
  );
}

/** The options this client can verify with: those of the kinds it has. */
export function useVerifiableOptions(options: readonly SignInOption[]): SignInOption[] {
  const kinds = useMethodKinds();
  return options.filter((o) => entryOf(kinds, o.kind) !== undefined);
}

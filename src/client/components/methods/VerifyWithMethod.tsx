import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInOption } from '../../../shared/api/common.ts';
import type { SessionInfo } from '../../../shared/api/session.ts';
import { Loading } from '../Loading.tsx';
import { entryOf, useMethodKinds } from './method-kinds-context.tsx';
import { MethodOptionLabel } from './MethodOptionLabel.tsx';

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

/** The options this client can verify with: those of the kinds it has, and that the organisation has not turned off. */
export function useVerifiableOptions(options: readonly SignInOption[]): SignInOption[] {
  const kinds = useMethodKinds();
  return options.filter((o) => !o.turnedOff && entryOf(kinds, o.kind) !== undefined);
}

/** Methods the organisation turned off, so the user sees why they are not offered. */
export function TurnedOffOptions({ options }: { options: readonly SignInOption[] }) {
  const { t } = useTranslation('sign-in');
  const off = options.filter((o) => o.turnedOff);
  if (off.length === 0) return null;
  return (
    <ul className="option-list">
      {off.map((o) => (
        <li key={o.methodId}>
          <p className="option disabled">
            <MethodOptionLabel option={o} /> <span className="badge badge-off">{t('secondFactor.turnedOff')}</span>
          </p>
        </li>
      ))}
    </ul>
  );
}

import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { SessionProvider, useSession } from '../api/session.tsx';
import type { MethodKindEntry } from '../components/methods/method-kind-entry.ts';
import { MethodKindsProvider } from '../components/methods/method-kinds-context.tsx';
import { ReauthProvider } from '../hooks/use-reauth.tsx';

/** Children render once the session has loaded, as pages do behind RequireStage. */
function WhenSessionLoaded({ children }: { children: ReactNode }) {
  const { session } = useSession();
  return session ? <>{children}</> : null;
}

/** What the app puts around a page (main.tsx and Layout), with the kinds a test chooses. */
export function AppProviders({ kinds, children }: { kinds: readonly MethodKindEntry[]; children: ReactNode }) {
  return (
    <MemoryRouter>
      <SessionProvider>
        <MethodKindsProvider kinds={kinds}>
          <ReauthProvider>
            <WhenSessionLoaded>{children}</WhenSessionLoaded>
          </ReauthProvider>
        </MethodKindsProvider>
      </SessionProvider>
    </MemoryRouter>
  );
}

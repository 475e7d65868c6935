import { createContext, lazy, Suspense, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../shared/api/session.ts';
import { ApiError } from '../api/client.ts';
import { useSession } from '../api/session.tsx';

// The dialog, with every kind's verify form, loads the first time a change needs it, not with
// every page; once loaded it stays, so closing it returns focus as any dialog does.
const ReauthDialog = lazy(async () => ({ default: (await import('../components/methods/ReauthDialog.tsx')).ReauthDialog }));

type Runner = <T>(action: () => Promise<T>) => Promise<T>;
const ReauthContext = createContext<Runner | null>(null);

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
  error: unknown;
}

/**
 * Security info changes, and everything in the admin area, need a recent
 * second-factor verification. When the server answers reauth_required, this
 * asks the user to verify again and then repeats the action once, so no page
 * has to handle it itself. Requests refused together (a page's loads) wait for
 * the one dialog. Cancelling fails each with the server's original error.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const { setSession } = useSession();
  const [open, setOpen] = useState(false);
  const waiters = useRef<Waiter[]>([]);

  const run = useCallback<Runner>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'reauth_required') throw error;
      await new Promise<void>((resolve, reject) => {
        waiters.current.push({ resolve, reject, error });
        setOpen(true);
      });
      return action();
    }
  }, []);

  function close(verified: SessionInfo | null) {
    const waiting = waiters.current;
    waiters.current = [];
    setOpen(false);
    if (verified) setSession(verified);
    for (const w of waiting) {
      if (verified) w.resolve();
      else w.reject(w.error);
    }
  }

  // Mounted from the first time it opens (see above).
  const opened = useRef(false);
  if (open) opened.current = true;

  return (
    <ReauthContext.Provider value={run}>
      {children}
      {open || opened.current ? (
        <Suspense fallback={null}>
          <ReauthDialog open={open} onClose={close} />
        </Suspense>
      ) : null}
    </ReauthContext.Provider>
  );
}

export function useReauth(): Runner {
  const run = useContext(ReauthContext);
  if (!run) throw new Error('useReauth outside ReauthProvider');
  return run;
}

import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import type { SessionInfo } from '../../shared/api/session.ts';
import { ApiError } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { ReauthDialog } from '../components/methods/ReauthDialog.tsx';

type Runner = <T>(action: () => Promise<T>) => Promise<T>;
const ReauthContext = createContext<Runner | null>(null);

interface Pending {
  resolve(): void;
  reject(error: unknown): void;
  error: unknown;
}

/**
 * Security info changes need a recent second-factor verification. When the
 * server answers reauth_required, this asks the user to verify again and then
 * repeats the action once, so no page has to handle it itself. Cancelling
 * fails the action with the server's original error.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const { setSession } = useSession();
  const [pending, setPending] = useState<Pending | null>(null);
  const pendingRef = useRef<Pending | null>(null);

  const run = useCallback<Runner>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'reauth_required') throw error;
      await new Promise<void>((resolve, reject) => {
        const p = { resolve, reject, error };
        pendingRef.current = p;
        setPending(p);
      });
      return action();
    }
  }, []);

  function close(verified: SessionInfo | null) {
    const p = pendingRef.current;
    pendingRef.current = null;
    setPending(null);
    if (verified) {
      setSession(verified);
      p?.resolve();
    } else p?.reject(p.error);
  }

  return (
    <ReauthContext.Provider value={run}>
      {children}
      <ReauthDialog open={pending !== null} onClose={close} />
    </ReauthContext.Provider>
  );
}

export function useReauth(): Runner {
  const run = useContext(ReauthContext);
  if (!run) throw new Error('useReauth outside ReauthProvider');
  return run;
}

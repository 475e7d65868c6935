import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import * as sessionApi from '../../shared/api/session.ts';
import type { SessionInfo } from '../../shared/api/session.ts';
import { call } from './client.ts';

interface SessionContextValue {
  session: SessionInfo | null;
  error: unknown;
  /** Every sign-in step answers with the new session; pages hand it over here. */
  setSession(next: SessionInfo): void;
  refresh(): Promise<SessionInfo>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    const next = await call(sessionApi.getSession);
    setSession(next);
    setError(null);
    return next;
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    call(sessionApi.getSession, {}, { signal: controller.signal }).then(setSession, (e: unknown) => {
      if (!controller.signal.aborted) setError(e);
    });
    return () => controller.abort();
  }, []);

  const value = useMemo(() => ({ session, error, setSession, refresh }), [session, error, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

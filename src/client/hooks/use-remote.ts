import { useCallback, useEffect, useRef, useState } from 'react';

export type Remote<T> =
  | { status: 'loading'; data?: T }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: unknown; data?: T };

/**
 * Loads data with an AbortSignal, and keeps loading/ready/error exclusive:
 * a failure always leaves the loading state (Authelia's useRemoteCall forgot
 * to), and a response arriving after unmount or a newer request is dropped.
 */
export function useRemote<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const controller = useRef<AbortController | null>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableLoad = useCallback(load, deps);

  const reload = useCallback(() => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setState((s) => ({ status: 'loading', ...(s.data !== undefined ? { data: s.data } : {}) }));
    stableLoad(current.signal).then(
      (data) => {
        if (!current.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!current.signal.aborted) setState((s) => ({ status: 'error', error, ...(s.data !== undefined ? { data: s.data } : {}) }));
      },
    );
  }, [stableLoad]);

  useEffect(() => {
    reload();
    return () => controller.current?.abort();
  }, [reload]);

  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { state, reload, set };
}

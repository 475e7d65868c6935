import { useCallback, useEffect, useReducer, useRef } from 'react';

export type Remote<T> = { status: 'loading'; data?: T } | { status: 'ready'; data: T } | { status: 'error'; error: unknown; data?: T };

export type RemoteEvent<T> = { type: 'start' } | { type: 'resolved'; data: T } | { type: 'failed'; error: unknown };

/**
 * loading/ready/error are exclusive: a failure always leaves the loading state
 * (Authelia's useRemoteCall forgot to), and data already shown is kept while
 * reloading or after a failed reload.
 */
export function remoteReducer<T>(state: Remote<T>, event: RemoteEvent<T>): Remote<T> {
  const kept = state.data !== undefined ? { data: state.data } : {};
  switch (event.type) {
    case 'start':
      return { status: 'loading', ...kept };
    case 'resolved':
      return { status: 'ready', data: event.data };
    case 'failed':
      return { status: 'error', error: event.error, ...kept };
  }
}

/**
 * Loads data with an AbortSignal; a response arriving after unmount or after a
 * newer request started is dropped.
 */
export function useRemote<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]) {
  const [state, dispatch] = useReducer(remoteReducer<T>, { status: 'loading' });
  const controller = useRef<AbortController | null>(null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableLoad = useCallback(load, deps);

  const reload = useCallback(() => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    dispatch({ type: 'start' });
    stableLoad(current.signal).then(
      (data) => {
        if (!current.signal.aborted) dispatch({ type: 'resolved', data });
      },
      (error: unknown) => {
        if (!current.signal.aborted) dispatch({ type: 'failed', error });
      },
    );
  }, [stableLoad]);

  useEffect(() => {
    reload();
    return () => controller.current?.abort();
  }, [reload]);

  const set = useCallback((data: T) => dispatch({ type: 'resolved', data }), []);
  return { state, reload, set };
}

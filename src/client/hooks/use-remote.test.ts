import { describe, expect, it } from 'vitest';
import { remoteReducer, type Remote } from './use-remote.ts';

describe('remoteReducer', () => {
  it('leaves loading on failure, keeping no stale flag', () => {
    const failed = remoteReducer<number>({ status: 'loading' }, { type: 'failed', error: 'boom' });
    expect(failed).toEqual({ status: 'error', error: 'boom' });
  });

  it('keeps shown data while reloading and after a failed reload', () => {
    let state: Remote<number> = remoteReducer<number>({ status: 'loading' }, { type: 'resolved', data: 1 });
    state = remoteReducer(state, { type: 'start' });
    expect(state).toEqual({ status: 'loading', data: 1 });
    state = remoteReducer(state, { type: 'failed', error: 'offline' });
    expect(state).toEqual({ status: 'error', error: 'offline', data: 1 });
    state = remoteReducer(state, { type: 'resolved', data: 2 });
    expect(state).toEqual({ status: 'ready', data: 2 });
  });
});

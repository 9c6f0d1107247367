import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionState } from '@gestiona/core/ipc';
import { useSessionStore } from './session.ts';

function stateWith(boot: string, seq: number, pending: number): SessionState {
  return {
    revision: { boot, seq },
    user: { id: 'agent-1', username: 'agente1', fullName: 'Ana Peña', role: 'agent' },
    workstationId: 'ws-1',
    serverUrl: 'http://127.0.0.1:4780',
    wrapUp: null,
    sync: { connection: 'online', pending, oldestPendingAt: null, lastSyncAt: null, lastError: null },
    now: '2026-12-07T10:00:00-05:00',
    dialerAdapter: 'manual',
  };
}

afterEach(() => {
  useSessionStore.setState({ state: null });
  vi.unstubAllGlobals();
});

describe('session store order', () => {
  it.each([
    { case: 'an older state of the same run is ignored', first: ['a', 5, 0], second: ['a', 4, 1], pending: 0 },
    { case: 'a newer state of the same run replaces it', first: ['a', 4, 1], second: ['a', 5, 0], pending: 0 },
    { case: 'a state of a new run of main replaces it, whatever its number', first: ['a', 9, 0], second: ['b', 1, 3], pending: 3 },
  ] satisfies Array<{ case: string; first: [string, number, number]; second: [string, number, number]; pending: number }>)('$case', ({ first, second, pending }) => {
    useSessionStore.getState().applyState(stateWith(...first));
    useSessionStore.getState().applyState(stateWith(...second));
    expect(useSessionStore.getState().state?.sync.pending).toBe(pending);
  });

  it('ignores a stale session:get reply', async () => {
    // Main builds the reply while one event is pending, and the push sent after the acknowledgement overtakes it.
    let answer: (value: unknown) => void = () => undefined;
    vi.stubGlobal('window', { gestiona: { 'session:get': () => new Promise((resolve) => (answer = resolve)) } });
    const loading = useSessionStore.getState().load();
    useSessionStore.getState().applyState(stateWith('a', 8, 0));
    answer({ ok: true, value: stateWith('a', 7, 1) });
    await loading;
    expect(useSessionStore.getState().state?.sync.pending).toBe(0);
  });
});

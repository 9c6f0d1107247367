import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DialResult, IpcArgs, PendingWrapUp, SessionState } from '@gestiona/core/ipc';
import type { GateDecision } from '@gestiona/core/compliance/types';
import type { Result } from '@gestiona/core/result';
import { useDialStore } from './dial.ts';
import { useSessionStore, WRAP_UP_REQUIRED_MESSAGE } from './session.ts';

const NOW = '2026-12-07T10:00:00-05:00';

const session: SessionState = {
  revision: { boot: 'boot-1', seq: 1 },
  user: { id: 'agent-1', username: 'agente1', fullName: 'Ana Peña', role: 'agent' },
  workstationId: 'ws-1',
  serverUrl: 'http://127.0.0.1:4780',
  wrapUp: null,
  sync: { connection: 'online', pending: 0, oldestPendingAt: null, lastSyncAt: null, lastError: null },
  now: NOW,
  dialerAdapter: 'manual',
};

const allowed: GateDecision = {
  allowed: true,
  rules: [],
  reasons: [],
  warnings: [],
  nextAllowedAt: null,
  rulePackVersion: '2026.1',
  evaluatedAt: NOW,
};

const wrapUp: PendingWrapUp = {
  attemptId: '3f1c2a52-8d1e-4c7b-9a55-0b6f3f0e9d11',
  debtorId: 'CC-1020304050',
  debtorName: 'Luis Muñoz',
  personName: 'Luis Muñoz',
  contactPointId: 'cp-1',
  channel: 'voice',
  address: '+573001234567',
  adapter: 'manual',
  dialedAt: NOW,
  identityConfirmedAt: null,
};

type DialArgs = IpcArgs<'contact:dial'>;

// Replaces the preload's `window.gestiona`. Only the dial channel is called here.
function installApi(respond: (args: DialArgs) => Promise<Result<DialResult>>) {
  const calls: DialArgs[] = [];
  vi.stubGlobal('window', {
    gestiona: {
      'contact:dial': (args: DialArgs) => {
        calls.push(args);
        return respond(args);
      },
    },
  });
  return calls;
}

describe('dial store', () => {
  beforeEach(() => {
    useSessionStore.setState({ state: session, guardMessage: null });
    useDialStore.setState({ inFlight: null, outcome: null, error: null });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('sends one request for a double click', async () => {
    let release: (result: Result<DialResult>) => void = () => {};
    const calls = installApi(() => new Promise((resolve) => (release = resolve)));

    const first = useDialStore.getState().dial('CC-1020304050', 'cp-1');
    const second = useDialStore.getState().dial('CC-1020304050', 'cp-1');
    release({ ok: true, value: { outcome: 'placed', decision: allowed, wrapUp, uri: null } });
    await Promise.all([first, second]);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses a new request id for each click intent', async () => {
    const blocked: DialResult = { outcome: 'blocked', decision: { ...allowed, allowed: false, rules: ['R3'] } };
    const calls = installApi(async () => ({ ok: true, value: blocked }));

    await useDialStore.getState().dial('CC-1020304050', 'cp-1');
    await useDialStore.getState().dial('CC-1020304050', 'cp-1');

    expect(calls).toHaveLength(2);
    expect(calls[0]!.requestId).not.toBe(calls[1]!.requestId);
  });

  it('enters wrap-up when the call is placed', async () => {
    installApi(async () => ({ ok: true, value: { outcome: 'placed', decision: allowed, wrapUp, uri: null } }));

    await useDialStore.getState().dial('CC-1020304050', 'cp-1');

    expect(useSessionStore.getState().state?.wrapUp).toEqual(wrapUp);
    expect(useDialStore.getState().inFlight).toBeNull();
  });

  it('stays out of wrap-up when the gate blocks', async () => {
    const decision: GateDecision = { ...allowed, allowed: false, rules: ['R3'], nextAllowedAt: '2026-12-07T07:00:00-05:00' };
    installApi(async () => ({ ok: true, value: { outcome: 'blocked', decision } }));

    await useDialStore.getState().dial('CC-1020304050', 'cp-1');

    expect(useSessionStore.getState().state?.wrapUp).toBeNull();
    expect(useDialStore.getState().outcome?.result).toEqual({ outcome: 'blocked', decision });
  });

  it('refuses to dial while a wrap-up is pending', async () => {
    useSessionStore.setState({ state: { ...session, wrapUp } });
    const calls = installApi(async () => ({ ok: true, value: { outcome: 'placed', decision: allowed, wrapUp, uri: null } }));

    await useDialStore.getState().dial('CC-1020304050', 'cp-2');

    expect(calls).toHaveLength(0);
    expect(useSessionStore.getState().guardMessage).toBe(WRAP_UP_REQUIRED_MESSAGE);
  });

  it('shows the error of a refused request', async () => {
    installApi(async () => ({ ok: false, error: { code: 'offline', message: 'Sin conexión con el servicio local.' } }));

    await useDialStore.getState().dial('CC-1020304050', 'cp-1');

    expect(useDialStore.getState().error).toBe('Sin conexión con el servicio local.');
    expect(useDialStore.getState().outcome).toBeNull();
  });

  it('reports a failed transport as an envelope', async () => {
    installApi(() => Promise.reject(new Error('socket hang up')));

    await useDialStore.getState().dial('CC-1020304050', 'cp-1');

    expect(useDialStore.getState().error).toMatch(/No hubo respuesta de la estación de trabajo/);
    expect(useDialStore.getState().inFlight).toBeNull();
  });
});

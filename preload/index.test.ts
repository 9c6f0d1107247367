import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_GLOBAL, IPC_CHANNELS, PUSH_CHANNEL } from '@gestiona/core/ipc-channels';
import type { PushMessage, WorkstationApi } from '@gestiona/core/ipc';

type PushHandler = (event: unknown, message: PushMessage) => void;

// The Electron binary is not available under plain Node, so this replaces the two Electron objects
// the preload uses and records the calls it makes.
const electron = vi.hoisted(() => {
  const handlers = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    handlers,
    exposed: new Map<string, unknown>(),
    invoke: vi.fn(async (channel: string, args: unknown) => ({ ok: true, value: { channel, args } })),
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value),
  },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, handler: (...args: unknown[]) => void) => {
      const set = electron.handlers.get(channel) ?? new Set();
      set.add(handler);
      electron.handlers.set(channel, set);
    },
    removeListener: (channel: string, handler: (...args: unknown[]) => void) => {
      electron.handlers.get(channel)?.delete(handler);
    },
  },
}));

await import('./index.ts');
const workstationApi = electron.exposed.get(API_GLOBAL) as WorkstationApi;

function emitPush(message: PushMessage): void {
  const fakeEvent = { sender: 'raw ipcRenderer' };
  for (const handler of electron.handlers.get(PUSH_CHANNEL) ?? []) (handler as PushHandler)(fakeEvent, message);
}

describe('preload API', () => {
  beforeEach(() => {
    electron.invoke.mockClear();
  });

  it('exposes one object under the global name', () => {
    expect([...electron.exposed.keys()]).toEqual([API_GLOBAL]);
    expect(typeof workstationApi).toBe('object');
  });

  it('has one method per channel plus onPush', () => {
    expect(Object.keys(workstationApi).sort()).toEqual([...IPC_CHANNELS, 'onPush'].sort());
  });

  it.each(IPC_CHANNELS.map((channel) => [channel]))('invokes %s with its arguments', async (channel) => {
    const args = { marker: channel };
    const method = workstationApi[channel] as (args: unknown) => Promise<unknown>;

    const result = await method(args);

    expect(electron.invoke).toHaveBeenCalledTimes(1);
    expect(electron.invoke).toHaveBeenCalledWith(channel, args);
    expect(result).toEqual({ ok: true, value: { channel, args } });
  });

  it('passes only the push message to listeners', () => {
    const received: unknown[][] = [];
    const unsubscribe = workstationApi.onPush((...args: unknown[]) => received.push(args));

    emitPush({ type: 'worklist-changed' });

    expect(received).toEqual([[{ type: 'worklist-changed' }]]);
    unsubscribe();
  });

  it('stops delivering pushes after unsubscribe', () => {
    const received: PushMessage[] = [];
    const unsubscribe = workstationApi.onPush((message) => received.push(message));

    unsubscribe();
    emitPush({ type: 'worklist-changed' });

    expect(received).toEqual([]);
    expect(electron.handlers.get(PUSH_CHANNEL)?.size ?? 0).toBe(0);
  });
});

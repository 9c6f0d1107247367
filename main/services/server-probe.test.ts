import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.ts';
import type { ServerFetch } from '../net/server-fetch.ts';
import { ServerProbe } from './server-probe.ts';
import { ipcContract, sessionStateSchema, type DialResult, type PushMessage, type SessionState } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { AGENT_1, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const HOUR = 60 * 60 * 1000;
/** Short probe and reconnection delays, so that the server coming back is noticed within the test. */
const SYNC_TUNING = { reconnectionDelayMs: 100, reconnectionDelayMaxMs: 400 };

describe('server probe after offline sign-in', () => {
  let root: string;
  let serverDir: string;
  let server: RunningServer | null;
  let port: number;
  let ws: OpenedWorkstation;
  let sessions: SessionState[];

  beforeEach(async () => {
    root = makeTempDir('gestiona-probe-');
    serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    port = server.port;
    const clock = new SettableClock('2026-03-03T10:00:00-05:00');
    const dataDir = path.join(root, 'workstation');

    // One online sign-in leaves the offline verifier and the leased debtors on disk.
    const first = await openWorkstation(dataDir, { clock, serverUrl: server.url, secretStore: new MemorySecretStore(null), syncTuning: SYNC_TUNING });
    const online = await first.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!online.ok) throw new Error(online.error.message);
    await vi.waitFor(async () => {
      const list = await first.call('worklist:list', { offset: 0, limit: 1 });
      expect(list.ok && ipcContract['worklist:list'].result.parse(list.value).items.length).toBe(1);
    }, WAIT);
    await first.workstation.close();

    // The server goes away, and the workstation restarts without its tokens, so only an offline sign-in is possible.
    await server.close();
    server = null;
    clock.advance(HOUR);
    ws = await openWorkstation(dataDir, { clock, serverUrl: `http://127.0.0.1:${port}`, secretStore: new MemorySecretStore(null), syncTuning: SYNC_TUNING });
    sessions = [];
    ws.workstation.onPush((message: PushMessage) => {
      if (message.type === 'session') sessions.push(message.state);
    });
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  const latestSession = () => sessions.at(-1);

  async function signInOffline(): Promise<SessionState> {
    const result = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!result.ok) throw new Error(result.error.message);
    const state = sessionStateSchema.parse(result.value);
    expect(state.offlineUntil).not.toBeNull();
    return state;
  }

  async function dialAndTypify(): Promise<string> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    const debtorId = ipcContract['worklist:list'].result.parse(list.value).items.find((item) => item.legalStatus === 'contactable')!.debtorId;
    const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error('the call was not placed');
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);
    return debtorId;
  }

  it('tells the agent and syncs after the password', async () => {
    expect((await signInOffline()).serverReachable).toBe(false);
    const debtorId = await dialAndTypify();
    expect(ws.workstation.sync.status().pending).toBe(3);

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(() => expect(latestSession()?.serverReachable).toBe(true), WAIT);
    const notice = await ws.call<SessionState>('session:get', {});
    if (!notice.ok) throw new Error(notice.error.message);
    expect(notice.value.serverReachable).toBe(true);
    // Nothing syncs yet: there is no server token until the agent enters the password.
    expect(ws.workstation.sync.status().pending).toBe(3);

    // The same agent signs in again without signing out, so the screen they are on stays.
    const again = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!again.ok) throw new Error(again.error.message);
    const state = sessionStateSchema.parse(again.value);
    expect(state.offlineUntil).toBeNull();
    expect(state.serverReachable).toBe(false);
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', pending: 0 }), WAIT);
    expect((await server.store.findInteractions(debtorId)).map((interaction) => interaction.code)).toEqual(['NC']);
    expect(await server.store.countEvents()).toBe(3);
  });

  it('withdraws the notice when the server goes away again', async () => {
    await signInOffline();
    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(() => expect(latestSession()?.serverReachable).toBe(true), WAIT);

    await server.close();
    server = null;
    await vi.waitFor(() => expect(latestSession()?.serverReachable).toBe(false), WAIT);
    expect(latestSession()?.offlineUntil).not.toBeNull();
  });
});

describe('ServerProbe', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** Builds a probe whose health checks fail until `up` is set; `calls` counts the checks. */
  function fakeProbe() {
    const fake = { up: false, calls: 0, changes: [] as boolean[] };
    const serverFetch: ServerFetch = async () => {
      fake.calls += 1;
      if (!fake.up) throw new Error('connect ECONNREFUSED');
      return new Response('{"ok":true}', { status: 200 });
    };
    const probe = new ServerProbe({
      serverUrl: 'http://127.0.0.1:9',
      serverFetch,
      logger: createLogger({ level: 'silent' }),
      minDelayMs: 100,
      maxDelayMs: 400,
      onChange: (reachable) => fake.changes.push(reachable),
    });
    return { fake, probe };
  }

  it('doubles the delay up to the maximum', async () => {
    const { fake, probe } = fakeProbe();
    probe.start();
    // Checks at once, then after waits of 100, 200, 400 and 400 ms.
    for (const [advanceMs, calls] of [
      [0, 1],
      [99, 1],
      [1, 2],
      [200, 3],
      [399, 3],
      [1, 4],
      [400, 5],
    ] as const) {
      await vi.advanceTimersByTimeAsync(advanceMs);
      expect(fake.calls).toBe(calls);
    }
    expect(probe.reachable()).toBe(false);
    expect(fake.changes).toEqual([]);
    probe.stop();
  });

  it('reports reachable and checks nothing after stop', async () => {
    const { fake, probe } = fakeProbe();
    fake.up = true;
    probe.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(probe.reachable()).toBe(true);
    expect(fake.changes).toEqual([true]);

    probe.stop();
    expect(probe.reachable()).toBe(false);
    expect(fake.changes).toEqual([true, false]);
    const calls = fake.calls;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.calls).toBe(calls);
  });
});

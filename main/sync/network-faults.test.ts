import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract, type DialResult } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import type { SyncTuning } from './client.ts';
import { startLargeServer } from '../test-support/portfolio.ts';
import { AGENT_1 } from '../test-support/server.ts';
import { TcpProxy } from '../test-support/tcp-proxy.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };

describe('sync through a faulty network', () => {
  let root: string;
  let server: RunningServer;
  let proxy: TcpProxy;
  let ws: OpenedWorkstation | null = null;

  beforeEach(async () => {
    root = makeTempDir('gestiona-net-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startLargeServer(serverDir, 45);
    proxy = await TcpProxy.start(server.port);
  });

  afterEach(async () => {
    await ws?.workstation.close();
    ws = null;
    await proxy?.close();
    await server?.close();
    removeDir(root);
  });

  async function openThroughProxy(tuning: Partial<SyncTuning> = {}): Promise<OpenedWorkstation> {
    const opened = await openWorkstation(path.join(root, 'workstation'), {
      serverUrl: proxy.url,
      clock: new SettableClock('2026-03-03T10:00:00-05:00'),
      secretStore: new MemorySecretStore(null),
      syncTuning: tuning,
    });
    const login = await opened.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!login.ok) throw new Error(`login failed: ${login.error.message}`);
    await vi.waitFor(() => expect(opened.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await opened.workstation.sync.flushNow();
    return opened;
  }

  /** Dials the first contactable debtor and saves `NC`, then returns the interaction and debtor ids. */
  async function typifyNext(target: OpenedWorkstation): Promise<{ interactionId: string; debtorId: string }> {
    const list = await target.call('worklist:list', { offset: 0, limit: 200 });
    if (!list.ok) throw new Error(list.error.message);
    const item = ipcContract['worklist:list'].result.parse(list.value).items.find((candidate) => candidate.legalStatus === 'contactable');
    if (!item) throw new Error('no contactable debtor left in the worklist');

    const view = await target.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', {
      debtorId: item.debtorId,
    });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await target.call<DialResult>('contact:dial', { debtorId: item.debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error(`the call to ${item.debtorId} was not placed`);

    const saved = await target.call<{ interactionId: string }>('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);
    return { interactionId: saved.value.interactionId, debtorId: item.debtorId };
  }

  /** Waits until the outbox drained by itself, with no `flushNow`, and checks each interaction is stored once. */
  async function expectDeliveredOnce(target: OpenedWorkstation, saved: ReadonlyArray<{ interactionId: string; debtorId: string }>): Promise<void> {
    await vi.waitFor(() => expect(target.workstation.sync.status().pending).toBe(0), WAIT);
    for (const { interactionId, debtorId } of saved) {
      const stored = (await server.store.findInteractions(debtorId)).filter((interaction) => interaction.interactionId === interactionId);
      expect(stored, `interaction ${interactionId} of ${debtorId}`).toHaveLength(1);
    }
    // The debtor's view, one decision and one interaction per typification, nothing else and nothing twice.
    expect(await server.store.countEvents()).toBe(saved.length * 3);
    expect(await server.store.countRejectedEvents()).toBe(0);
  }

  it('keeps typifying offline and reconnects by itself', async () => {
    ws = await openThroughProxy();
    const connectionsBefore = proxy.connections;

    proxy.setMode('refuse');
    proxy.dropAll();
    await vi.waitFor(() => expect(ws!.workstation.sync.status().connection).toBe('offline'), WAIT);

    const saved = [await typifyNext(ws), await typifyNext(ws), await typifyNext(ws)];
    expect(ws.workstation.sync.status().pending).toBe(9);
    // Refused attempts show that the client keeps retrying while the link is down.
    await vi.waitFor(() => expect(proxy.connections).toBeGreaterThan(connectionsBefore + 2), WAIT);

    proxy.setMode('forward');
    await expectDeliveredOnce(ws, saved);
    expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', lastError: null });
  });

  it('delivers once across a flapping link', async () => {
    ws = await openThroughProxy();
    const saved: Array<{ interactionId: string; debtorId: string }> = [];

    // Each save starts a push, and the reset lands while it is on the wire or just after.
    for (let flap = 0; flap < 6; flap += 1) {
      saved.push(await typifyNext(ws));
      await new Promise((resolve) => setTimeout(resolve, flap * 3));
      proxy.dropAll();
    }

    await expectDeliveredOnce(ws, saved);
  });

  it('stores once when acknowledgements arrive late', async () => {
    // Acks slower than the ack timeout make the client send the same batch again.
    ws = await openThroughProxy({ ackTimeoutMs: 300, retryDelayMs: 100 });
    proxy.setDelay(400);

    const saved = [await typifyNext(ws), await typifyNext(ws)];
    await vi.waitFor(() => expect(ws!.workstation.sync.status().lastError).not.toBeNull(), WAIT);
    expect(ws.workstation.sync.status().pending).toBeGreaterThan(0);

    proxy.setDelay(0);
    await expectDeliveredOnce(ws, saved);
  });

  it('detects a half-open link and reconnects', async () => {
    // With socket.io 4's defaults the server pings every 25 s and waits 20 s more, so socket.io alone would stay "connected"
    // for about 45 s. Two missed acknowledgements make the client drop the connection itself.
    ws = await openThroughProxy({ ackTimeoutMs: 300, retryDelayMs: 100 });
    const saved = [await typifyNext(ws)];
    await expectDeliveredOnce(ws, saved);

    proxy.setMode('blackhole');
    saved.push(await typifyNext(ws));
    await vi.waitFor(() => expect(ws!.workstation.sync.status().connection).toBe('offline'), WAIT);
    expect(ws.workstation.sync.status().pending).toBe(3);

    // The link comes back; a connection attempt made while it was silent is reset by the recovery.
    proxy.setMode('forward');
    proxy.dropAll();
    await expectDeliveredOnce(ws, saved);
  });
});

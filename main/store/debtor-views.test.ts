import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { AGENT_1, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';
import { recordDebtorView, VIEW_RECORD_WINDOW_MS } from './debtor-views.ts';

const WAIT = { timeout: 15_000, interval: 50 };

describe('debtor view record', () => {
  let root: string;
  let serverDir: string;
  let server: RunningServer;
  let port: number;
  let clock: SettableClock;
  let ws: OpenedWorkstation;
  let debtorId: string;

  beforeEach(async () => {
    root = makeTempDir('gestiona-views-');
    serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    port = server.port;
    clock = new SettableClock('2026-03-03T10:00:00-05:00');
    ws = await openWorkstation(path.join(root, 'workstation'), { clock, serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    const login = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!login.ok) throw new Error(login.error.message);
    await vi.waitFor(async () => expect((await worklist()).length).toBeGreaterThan(0), WAIT);
    debtorId = (await worklist())[0]!;
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  async function worklist(): Promise<string[]> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    return ipcContract['worklist:list'].result.parse(list.value).items.map((item) => item.debtorId);
  }

  function queuedViews(): Array<{ debtorId: string; viewedAt: string }> {
    const { events } = withStore(path.join(root, 'workstation'), (store) => store.outbox.oldest(1000, 'ws'));
    return events.flatMap((event) => (event.type === 'debtor.viewed' ? [event.payload] : []));
  }

  async function openDebtor(id: string) {
    return ws.call('debtor:open', { debtorId: id });
  }

  it('records one view per window, offline, pushed once', async () => {
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    for (let i = 0; i < 5; i += 1) {
      expect((await openDebtor(debtorId)).ok).toBe(true);
      clock.advance(10_000);
    }
    expect(queuedViews()).toEqual([expect.objectContaining({ debtorId, viewedAt: '2026-03-03T10:00:00-05:00' })]);

    clock.advance(VIEW_RECORD_WINDOW_MS);
    expect((await openDebtor(debtorId)).ok).toBe(true);
    expect(queuedViews().map((view) => view.viewedAt)).toEqual(['2026-03-03T10:00:00-05:00', '2026-03-03T10:01:50-05:00']);

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', pending: 0 }), WAIT);
    await ws.workstation.sync.flushNow();

    const stored = await server.store.findDebtorViews({ debtorId });
    expect(stored.map((view) => view.viewedAt)).toEqual(['2026-03-03T15:00:00.000Z', '2026-03-03T15:01:50.000Z']);
    expect(stored.map((view) => view.leased)).toEqual([true, true]);
    expect(stored[0]).toMatchObject({ agentUsername: AGENT_1.username, reason: null });
    expect(await server.store.countEvents()).toBe(2);
    expect(await server.store.countRejectedEvents()).toBe(0);
  });

  it('records each debtor apart', async () => {
    const [first, second] = await worklist();
    expect((await openDebtor(first!)).ok).toBe(true);
    expect((await openDebtor(second!)).ok).toBe(true);
    expect((await openDebtor(first!)).ok).toBe(true);
    expect(queuedViews().map((view) => view.debtorId)).toEqual([first, second]);
  });

  it('records nothing for a refused open', async () => {
    const unknown = await openDebtor('CC-0000000000');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found', message: expect.stringContaining('no está asignado a esta estación') } });

    expect((await ws.call('auth:logout', {})).ok).toBe(true);
    const signedOut = await openDebtor(debtorId);
    expect(signedOut).toMatchObject({ ok: false, error: { code: 'not-authenticated' } });
    expect(queuedViews()).toEqual([]);
  });
});

describe('recordDebtorView window', () => {
  const T = Date.parse('2026-03-03T10:00:00-05:00');
  const viewAt = (atMs: number, agentId = 'agent-1', debtorId = 'd1') => ({
    agentId,
    debtorId,
    atMs,
    atIso: new Date(atMs).toISOString(),
    localIso: new Date(atMs).toISOString(),
    offsetMs: 0,
  });

  it.each([
    { name: 'just inside the window', second: viewAt(T + VIEW_RECORD_WINDOW_MS - 1), recorded: false },
    { name: 'at the window end', second: viewAt(T + VIEW_RECORD_WINDOW_MS), recorded: true },
    { name: 'after the clock moved back', second: viewAt(T - 1), recorded: true },
    { name: 'by another agent', second: viewAt(T + 1, 'agent-2'), recorded: true },
    { name: 'of another debtor', second: viewAt(T + 1, 'agent-1', 'd2'), recorded: true },
  ])('records a second view $name: $recorded', ({ second, recorded }) => {
    const dir = makeTempDir('gestiona-view-window-');
    try {
      seedDataDir(dir, []);
      withStore(dir, (store) => {
        expect(recordDebtorView(store, viewAt(T))).toBe(true);
        expect(recordDebtorView(store, second)).toBe(recorded);
        expect(store.outbox.stats().pending).toBe(recorded ? 2 : 1);
      });
    } finally {
      removeDir(dir);
    }
  });
});

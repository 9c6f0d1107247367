/**
 * The sync client against a scripted socket.io server on 127.0.0.1, for the cases the real server
 * does not produce on demand: a lost acknowledgement, an invalid feed entry, a feed hint.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import type { PushMessage } from '@gestiona/core/ipc';
import { SOCKET_EVENTS, type PullAck, type PushAck } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { makeDebtor, TEST_CATALOG } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 10_000, interval: 25 };

interface ScriptedServer {
  url: string;
  io: Server;
  /** Ids of every event received, in order, one entry per push call. */
  pushes: string[][];
  /** Every `state:report` payload received. */
  reports: Array<Record<string, unknown>>;
  respondToPush: (events: Array<{ id: string }>, ack: (response: PushAck) => void) => void;
  respondToPull: (request: { after: number }) => PullAck;
  close(): Promise<void>;
}

async function startScriptedServer(port = 0): Promise<ScriptedServer> {
  const http: HttpServer = createServer();
  const io = new Server(http);
  const scripted: ScriptedServer = {
    url: '',
    io,
    pushes: [],
    reports: [],
    respondToPush: (events, ack) => ack({ ok: true, results: events.map((event) => ({ id: event.id, status: 'stored' })) }),
    respondToPull: (request) => ({ ok: true, entries: [], cursor: request.after, hasMore: false }),
    close: async () => {
      io.disconnectSockets(true);
      io.engine.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };

  io.on('connection', (socket) => {
    socket.on(SOCKET_EVENTS.clockPing, (_payload: unknown, ack: (response: unknown) => void) => ack({ serverTime: toBogotaIso(Date.now()) }));
    socket.on(SOCKET_EVENTS.pullFeed, (request: { after: number }, ack: (response: PullAck) => void) => ack(scripted.respondToPull(request)));
    socket.on(SOCKET_EVENTS.pushEvents, (request: { events: Array<{ id: string }> }, ack: (response: PushAck) => void) => {
      scripted.pushes.push(request.events.map((event) => event.id));
      scripted.respondToPush(request.events, ack);
    });
    socket.on(SOCKET_EVENTS.reportState, (state: Record<string, unknown>) => scripted.reports.push(state));
  });

  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  scripted.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return scripted;
}

describe('sync client protocol', () => {
  let dir: string;
  let server: ScriptedServer;
  let ws: OpenedWorkstation;
  let clock: SettableClock;

  beforeEach(async () => {
    dir = makeTempDir('gestiona-protocol-');
    seedDataDir(dir, [makeDebtor('d1')]);
    server = await startScriptedServer();
    // Sunday: every dial is blocked, which queues one decision event without a wrap-up.
    clock = new SettableClock('2026-03-01T10:00:00-05:00');
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server.close();
    removeDir(dir);
  });

  async function open(): Promise<void> {
    ws = await openWorkstation(dir, { clock, serverUrl: server.url, syncTuning: { ackTimeoutMs: 300, retryDelayMs: 100 } });
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('online'), WAIT);
  }

  async function queueDecision(requestNumber: number): Promise<void> {
    const result = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: `00000000-0000-4000-8000-${String(requestNumber).padStart(12, '0')}` });
    expect(result.ok).toBe(true);
  }

  it('leaves events queued after a lost acknowledgement and sends them again', async () => {
    let calls = 0;
    server.respondToPush = (events, ack) => {
      calls += 1;
      if (calls > 1) ack({ ok: true, results: events.map((event) => ({ id: event.id, status: 'stored' })) });
    };
    await open();
    await queueDecision(1);

    await vi.waitFor(() => expect(ws.workstation.sync.status().lastError).toBe('El servidor central no respondió a tiempo; se reintentará automáticamente.'), WAIT);
    await vi.waitFor(() => expect(ws.workstation.sync.status().pending).toBe(0), WAIT);
    expect(server.pushes.length).toBeGreaterThanOrEqual(2);
    expect(server.pushes[1]).toEqual(server.pushes[0]);
    expect(ws.workstation.sync.status().lastError).toBeNull();
  });

  it('never queues an event in the socket while disconnected', async () => {
    await open();
    const port = Number(new URL(server.url).port);
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    await queueDecision(1);
    await queueDecision(2);
    server = await startScriptedServer(port);
    await vi.waitFor(() => expect(ws.workstation.sync.status().pending).toBe(0), WAIT);

    const received = server.pushes.flat();
    expect(received).toHaveLength(2);
    expect(new Set(received).size).toBe(2);
  });

  it('stops at an invalid feed entry and shows it in the status', async () => {
    const cursorBefore = withStore(dir, (store) => store.meta.feedCursor());
    server.respondToPull = (request) => ({
      ok: true,
      entries: [
        { seq: request.after + 1, type: 'catalog.set', payload: { ...TEST_CATALOG, version: 'nuevo' } },
        { seq: request.after + 2, type: 'debtor.upsert', payload: { id: 'roto' } },
      ],
      cursor: request.after + 2,
      hasMore: false,
    });
    await open();
    await ws.workstation.sync.flushNow();

    expect(ws.workstation.sync.status().lastError).toBe(
      `El servidor central envió un dato inválido (entrada ${cursorBefore + 2}); la actualización de la cartera está detenida. Avise a soporte.`,
    );
    expect(withStore(dir, (store) => store.meta.feedCursor())).toBe(cursorBefore);
    expect(withStore(dir, (store) => store.referenceData.catalog()?.version)).toBe(TEST_CATALOG.version);
  });

  it('pulls when the server sends a feed hint', async () => {
    await open();
    await ws.workstation.sync.flushNow();
    const pushes: PushMessage[] = [];
    ws.workstation.onPush((message) => pushes.push(message));

    server.respondToPull = (request) => ({
      ok: true,
      entries: [{ seq: request.after + 1, type: 'debtor.upsert', payload: makeDebtor('d9', { fullName: 'Nuevo Deudor' }) }],
      cursor: request.after + 1,
      hasMore: false,
    });
    server.io.emit(SOCKET_EVENTS.feedHint);

    await vi.waitFor(() => expect(pushes.some((message) => message.type === 'worklist-changed')).toBe(true), WAIT);
    expect(withStore(dir, (store) => store.debtors.get('d9')?.fullName)).toBe('Nuevo Deudor');
  });

  it('reports its state on connect and when the backlog changes', async () => {
    let release: (() => void) | null = null;
    server.respondToPush = (events, ack) => {
      release = () => ack({ ok: true, results: events.map((event) => ({ id: event.id, status: 'stored' })) });
    };
    await open();
    await vi.waitFor(() => expect(server.reports.length).toBeGreaterThanOrEqual(1), WAIT);
    expect(server.reports[0]).toMatchObject({ agentId: 'agent-1', agentState: 'available', pending: 0, dialer: 'softphone' });

    await queueDecision(1);
    await vi.waitFor(() => expect(server.reports.some((report) => report.pending === 1)).toBe(true), WAIT);
    await vi.waitFor(() => expect(release).not.toBeNull(), WAIT);
    release!();
    await vi.waitFor(() => expect(server.reports.at(-1)?.pending).toBe(0), WAIT);
  });
});

/**
 * The state reports a reconnecting workstation sends while it drains its outbox, against a scripted
 * socket.io server on 127.0.0.1 that records every report and every push in arrival order. The team
 * lead's board shows the backlog of the latest report, so the order is what the lead sees.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import { ipcContract, type DialResult, type SyncStatus } from '@gestiona/core/ipc';
import { MAX_PUSH_BATCH, SOCKET_EVENTS, type PullAck, type PushAck } from '@gestiona/core/sync';
import type { RunningServer } from '../../server/src/app.ts';
import { decisionEvent } from '../../server/src/fixtures/events.ts';
import { SettableClock } from '../clock.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { LocalStore } from '../store/local-store.ts';
import { AGENT_1, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { SyncClient, type SyncTuning } from './client.ts';
import { SYNC_MESSAGES } from './status.ts';

const WAIT = { timeout: 15_000, interval: 10 };

type Arrival = { kind: 'report'; pending: number } | { kind: 'push'; events: number };

interface RecordingServer {
  url: string;
  port: number;
  io: Server;
  /** Reports and pushes in the order the server received them. */
  arrivals: Arrival[];
  /** Delay of each push acknowledgement, in ms: a slow server makes the flush last. */
  pushDelayMs: number;
  close(): Promise<void>;
}

async function startRecordingServer(port = 0): Promise<RecordingServer> {
  const http: HttpServer = createServer();
  const io = new Server(http);
  const server: RecordingServer = {
    url: '',
    port: 0,
    io,
    arrivals: [],
    pushDelayMs: 0,
    close: async () => {
      io.disconnectSockets(true);
      io.engine.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };

  io.on('connection', (socket) => {
    socket.on(SOCKET_EVENTS.clockPing, (_payload: unknown, ack: (response: unknown) => void) => ack({ serverTime: toBogotaIso(Date.now()) }));
    socket.on(SOCKET_EVENTS.pullFeed, (request: { after: number }, ack: (response: PullAck) => void) =>
      ack({ ok: true, entries: [], cursor: request.after, hasMore: false }),
    );
    socket.on(SOCKET_EVENTS.pushEvents, (request: { events: Array<{ id: string }> }, ack: (response: PushAck) => void) => {
      server.arrivals.push({ kind: 'push', events: request.events.length });
      const results = request.events.map((event) => ({ id: event.id, status: 'stored' as const }));
      setTimeout(() => ack({ ok: true, results }), server.pushDelayMs);
    });
    socket.on(SOCKET_EVENTS.reportState, (state: { pending: number }) => {
      server.arrivals.push({ kind: 'report', pending: state.pending });
    });
  });

  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const address = http.address() as AddressInfo;
  server.port = address.port;
  server.url = `http://127.0.0.1:${address.port}`;
  return server;
}

function reportsOf(arrivals: readonly Arrival[]): Array<Extract<Arrival, { kind: 'report' }>> {
  return arrivals.filter((arrival) => arrival.kind === 'report');
}

describe('sync client state reports during a flush', () => {
  let dir: string;
  let store: LocalStore;
  let server: RecordingServer;
  let client: SyncClient;
  const statuses: SyncStatus[] = [];
  /** performance.now() of every report the client built, just before sending it. */
  const reportSentAt: number[] = [];

  beforeEach(() => {
    dir = makeTempDir('gestiona-backlog-report-');
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
    statuses.length = 0;
    reportSentAt.length = 0;
  });

  afterEach(async () => {
    await client?.close();
    await server?.close();
    store.close();
    removeDir(dir);
  });

  let nextSeq = 1;
  function queueEvents(count: number): void {
    store.transaction(() => {
      for (let index = 0; index < count; index += 1) {
        const seq = nextSeq;
        nextSeq += 1;
        const event = decisionEvent({ agentId: 'agent-1', workstationId: 'ws-1', debtorId: 'd1', personId: 'd1', contactPointId: 'd1/celular', seq, at: '2026-12-07T09:00:00-05:00' });
        if (event.type === 'decision.recorded') store.outbox.enqueue({ type: event.type, payload: event.payload, agentId: event.agentId, occurredAt: event.occurredAt });
      }
    });
  }

  function startClient(tuning: Partial<SyncTuning> = {}): void {
    client = new SyncClient({
      serverUrl: server.url,
      workstationId: 'ws-1',
      store,
      clock: new SettableClock('2026-12-07T09:00:00-05:00'),
      logger: createLogger({ level: 'silent' }),
      onStatus: (status) => statuses.push(status),
      onFeedApplied: () => undefined,
      // The real workstation reports more keys; the board's backlog column reads `pending`.
      stateReport: () => {
        reportSentAt.push(performance.now());
        return { pending: store.outbox.stats().pending };
      },
      tuning: { reconnectionDelayMs: 50, reconnectionDelayMaxMs: 200, retryDelayMs: 100, ...tuning },
    });
    client.start('token-of-agent-1');
  }

  it('reports the backlog before the first push', async () => {
    const backlog = 2 * MAX_PUSH_BATCH + 59;
    server = await startRecordingServer();
    queueEvents(backlog);
    startClient();

    await vi.waitFor(() => expect(store.outbox.stats().pending).toBe(0), WAIT);
    await vi.waitFor(() => expect(reportsOf(server.arrivals).at(-1)?.pending).toBe(0), WAIT);

    expect(server.arrivals[0]).toMatchObject({ kind: 'report', pending: backlog });
    expect(server.arrivals.findIndex((arrival) => arrival.kind === 'push')).toBeGreaterThan(0);
  });

  it('reports the draining backlog between batches', async () => {
    server = await startRecordingServer();
    // Five batches of 250 ms each: the flush lasts over a second, as on a loaded server.
    server.pushDelayMs = 250;
    queueEvents(5 * MAX_PUSH_BATCH);
    startClient({ reportIntervalMs: 400 });

    await vi.waitFor(() => expect(store.outbox.stats().pending).toBe(0), WAIT);
    await vi.waitFor(() => expect(reportsOf(server.arrivals).at(-1)?.pending).toBe(0), WAIT);

    const firstPush = server.arrivals.findIndex((arrival) => arrival.kind === 'push');
    const lastPush = server.arrivals.findLastIndex((arrival) => arrival.kind === 'push');
    const during = reportsOf(server.arrivals.slice(firstPush, lastPush));
    const draining = during.map((report) => report.pending);
    expect(draining.length).toBeGreaterThanOrEqual(1);
    expect(draining.every((pending) => pending > 0 && pending < 5 * MAX_PUSH_BATCH)).toBe(true);
    expect([...draining].sort((a, b) => b - a)).toEqual(draining);
  });

  it('spaces the reports between batches by the interval', async () => {
    server = await startRecordingServer();
    server.pushDelayMs = 20;
    queueEvents(12 * MAX_PUSH_BATCH);
    startClient({ reportIntervalMs: 150 });

    await vi.waitFor(() => expect(store.outbox.stats().pending).toBe(0), WAIT);
    await vi.waitFor(() => expect(reportsOf(server.arrivals).at(-1)?.pending).toBe(0), WAIT);

    const pushes = server.arrivals.filter((arrival) => arrival.kind === 'push').length;
    // One report before the push and one after it, plus those in between: fewer than one per batch.
    expect(reportSentAt.length).toBeLessThan(pushes);
    // The report after the push is not spaced, because the backlog of 0 must reach the board at once.
    for (let index = 1; index < reportSentAt.length - 1; index += 1) {
      expect(reportSentAt[index]! - reportSentAt[index - 1]!).toBeGreaterThanOrEqual(150);
    }
  });

  it('reports the offline backlog again after a reconnect', async () => {
    server = await startRecordingServer();
    startClient();
    await vi.waitFor(() => expect(client.status().connection).toBe('online'), WAIT);
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(client.status().connection).toBe('offline'), WAIT);

    queueEvents(459);
    client.requestPush();
    server = await startRecordingServer(port);
    await vi.waitFor(() => expect(store.outbox.stats().pending).toBe(0), WAIT);
    await vi.waitFor(() => expect(reportsOf(server.arrivals).at(-1)?.pending).toBe(0), WAIT);

    expect(server.arrivals[0]).toMatchObject({ kind: 'report', pending: 459 });
  });

  it('drops the closed-connection message once a reconnect fails', async () => {
    server = await startRecordingServer();
    startClient();
    await vi.waitFor(() => expect(client.status().connection).toBe('online'), WAIT);

    // The server closes the sockets on purpose, as on SIGTERM, and stays down.
    await server.close();
    await vi.waitFor(() => expect(statuses.some((status) => status.lastError === SYNC_MESSAGES.serverClosed)).toBe(true), WAIT);
    await vi.waitFor(() => expect(client.status().lastError).toBeNull(), WAIT);
    expect(client.status().connection).toBe('offline');
  });
});

describe('state report of a reconnecting workstation on the central server', () => {
  let root: string;
  let serverDir: string;
  let server: RunningServer;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    root = makeTempDir('gestiona-backlog-server-');
    serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    ws = await openWorkstation(path.join(root, 'workstation'), {
      clock: new SettableClock('2026-03-03T10:00:00-05:00'),
      serverUrl: server.url,
      secretStore: new MemorySecretStore(null),
      // Fixed reconnection attempts, 2 s apart, so none lands between the restart and the spy below.
      syncTuning: { reconnectionDelayMs: 2_000, reconnectionDelayMaxMs: 2_000, randomizationFactor: 0 },
    });
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  /** Dials the first debtor of the worklist and saves `NC`, which queues three events. */
  async function workOneDebtor(): Promise<void> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    const debtorId = ipcContract['worklist:list'].result.parse(list.value).items[0]!.debtorId;
    const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error('the call was not placed');
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);
  }

  it('stores the offline backlog first', async () => {
    const login = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!login.ok) throw new Error(`login failed: ${login.error.message}`);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();

    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    await workOneDebtor();
    expect(ws.workstation.sync.status().pending).toBe(3);

    server = await startTestServer(serverDir, { port, seed: false });
    // The backlog of every report the server stores, which the board shows until the next one.
    const stored: unknown[] = [];
    const record = server.store.recordWorkstationState.bind(server.store);
    server.store.recordWorkstationState = (workstationId, state, now, agentId) => {
      stored.push(state.pending);
      return record(workstationId, state, now, agentId);
    };
    await vi.waitFor(() => expect(ws.workstation.sync.status().pending).toBe(0), WAIT);
    await vi.waitFor(() => expect(stored.at(-1)).toBe(0), WAIT);

    expect(stored[0]).toBe(3);
  });
});

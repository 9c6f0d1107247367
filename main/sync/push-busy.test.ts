/**
 * The sync client against a scripted socket.io server on 127.0.0.1 that acknowledges pushes as
 * busy (`retryAfterMs`) before it stores them.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import type { SyncStatus } from '@gestiona/core/ipc';
import { SOCKET_EVENTS, type PullAck, type PushAck } from '@gestiona/core/sync';
import { decisionEvent } from '../../server/src/fixtures/events.ts';
import { SettableClock } from '../clock.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { LocalStore } from '../store/local-store.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { SyncClient } from './client.ts';

const WAIT = { timeout: 10_000, interval: 10 };
const RETRY_AFTER_MS = 300;
const BUSY_MESSAGE = 'Servidor ocupado (server busy).';

interface BusyServer {
  url: string;
  /** performance.now() of every push received. */
  pushTimes: number[];
  /** performance.now() of every busy acknowledgement sent. */
  busyTimes: number[];
  connections: number;
  close(): Promise<void>;
}

/** Acknowledges the first `busyAnswers` pushes as busy, with `retryAfterMs`, then stores everything. */
async function startBusyServer(busyAnswers: number): Promise<BusyServer> {
  const http: HttpServer = createServer();
  const io = new Server(http);
  const server: BusyServer = {
    url: '',
    pushTimes: [],
    busyTimes: [],
    connections: 0,
    close: async () => {
      io.disconnectSockets(true);
      io.engine.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };

  io.on('connection', (socket) => {
    server.connections += 1;
    socket.on(SOCKET_EVENTS.clockPing, (_payload: unknown, ack: (response: unknown) => void) => ack({ serverTime: toBogotaIso(Date.now()) }));
    socket.on(SOCKET_EVENTS.pullFeed, (request: { after: number }, ack: (response: PullAck) => void) =>
      ack({ ok: true, entries: [], cursor: request.after, hasMore: false }),
    );
    socket.on(SOCKET_EVENTS.pushEvents, (request: { events: Array<{ id: string }> }, ack: (response: PushAck) => void) => {
      server.pushTimes.push(performance.now());
      if (server.busyTimes.length < busyAnswers) {
        server.busyTimes.push(performance.now());
        ack({ ok: false, error: BUSY_MESSAGE, retryAfterMs: RETRY_AFTER_MS });
        return;
      }
      ack({ ok: true, results: request.events.map((event) => ({ id: event.id, status: 'stored' })) });
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}

describe('sync client when the server is busy', () => {
  let dir: string;
  let store: LocalStore;
  let server: BusyServer;
  let client: SyncClient;
  const statuses: SyncStatus[] = [];

  beforeEach(() => {
    dir = makeTempDir('gestiona-busy-');
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
    statuses.length = 0;
  });

  afterEach(async () => {
    await client?.close();
    await server?.close();
    store.close();
    removeDir(dir);
  });

  function queueEvents(count: number): void {
    store.transaction(() => {
      for (let seq = 1; seq <= count; seq += 1) {
        const event = decisionEvent({ agentId: 'agent-1', workstationId: 'ws-1', debtorId: 'd1', personId: 'd1', contactPointId: 'd1/celular', seq, at: '2026-12-07T09:00:00-05:00' });
        if (event.type === 'decision.recorded') store.outbox.enqueue({ type: event.type, payload: event.payload, agentId: event.agentId, occurredAt: event.occurredAt });
      }
    });
  }

  function startClient(): void {
    client = new SyncClient({
      serverUrl: server.url,
      workstationId: 'ws-1',
      store,
      clock: new SettableClock('2026-12-07T09:00:00-05:00'),
      logger: createLogger({ level: 'silent' }),
      onStatus: (status) => statuses.push(status),
      onFeedApplied: () => undefined,
      stateReport: () => ({}),
      // Ten seconds would make the test slow; the busy wait must not depend on this delay anyway.
      tuning: { retryDelayMs: 60_000 },
    });
    client.start('token-of-agent-1');
  }

  it('waits at least the server wait, then sends the batch again', async () => {
    server = await startBusyServer(2);
    queueEvents(3);
    startClient();

    await vi.waitFor(() => expect(store.outbox.stats().pending).toBe(0), WAIT);

    expect(server.pushTimes).toHaveLength(3);
    for (const [index, busyAt] of server.busyTimes.entries()) {
      // 1 ms of slack for the rounding of timers to whole milliseconds.
      expect(server.pushTimes[index + 1]! - busyAt).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 1);
    }
  });

  it('shows no error and keeps the connection', async () => {
    server = await startBusyServer(2);
    queueEvents(3);
    startClient();

    await vi.waitFor(() => expect(store.outbox.stats().pending).toBe(0), WAIT);

    expect(statuses.filter((status) => status.lastError !== null)).toEqual([]);
    expect(server.connections).toBe(1);
    expect(client.status().connection).not.toBe('offline');
  });

  it('holds new events until the wait is over', async () => {
    server = await startBusyServer(1);
    queueEvents(1);
    startClient();
    await vi.waitFor(() => expect(server.busyTimes).toHaveLength(1), WAIT);

    queueEvents(1);
    client.requestPush();
    await vi.waitFor(() => expect(store.outbox.stats().pending).toBe(0), WAIT);

    expect(server.pushTimes).toHaveLength(2);
    expect(server.pushTimes[1]! - server.busyTimes[0]!).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 1);
  });
});

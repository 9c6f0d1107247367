import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushAckSchema, SOCKET_EVENTS, type SyncEvent, type User } from '@gestiona/core/sync';
import { decisionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, tempDir } from '../fixtures/server.ts';
import { buildHttpApp } from '../http.ts';
import { createLogger } from '../logger.ts';
import { attachSocketServer, INGEST_BUSY_MESSAGE } from '../socket.ts';
import { openStore } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTOR = 'CC-52000001';

/** Wraps the store so that every `ingestEvent` and `ingestEvents` (group commit) waits until the test opens the valve. */
function withIngestValve(store: ServerStore): { store: ServerStore; open(): void } {
  let open!: () => void;
  const valve = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gated = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'ingestEvent') {
        return async (...args: Parameters<ServerStore['ingestEvent']>) => {
          await valve;
          return target.ingestEvent(...args);
        };
      }
      if (property === 'ingestEvents') {
        return async (...args: Parameters<ServerStore['ingestEvents']>) => {
          await valve;
          return target.ingestEvents(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: gated, open };
}

describe('push while the ingest queue is full', () => {
  const dir = tempDir();
  let realStore: ServerStore;
  let valve: ReturnType<typeof withIngestValve>;
  let close: () => Promise<void>;
  let url: string;
  let agent: User;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const logger = createLogger();
    realStore = await openStore({ dbPath: join(dir.path, 'server.sqlite'), logger });
    valve = withIngestValve(realStore);
    const app = buildHttpApp({ store: valve.store, logger, now: () => NOW });
    // One batch held at a time, so that a second batch is turned away while the first waits at the valve.
    const io = attachSocketServer({
      httpServer: app.server,
      store: valve.store,
      logger,
      now: () => NOW,
      ingestLimits: { maxRunningEvents: 1, maxHeldBatches: 1, maxQueueWaitMs: 5_000, minRetryAfterMs: 1_500, maxRetryAfterMs: 20_000 },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = async () => {
      await io.close();
      await app.close();
      await realStore.close();
    };

    agent = await realStore.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, NOW);
    await realStore.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: '52000001' })])), now: NOW });
    await realStore.leaseUnassigned(NOW);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await close();
    dir.remove();
  });

  async function connect(workstationId: string): Promise<Socket> {
    const session = await login(url, 'agente1', PASSWORD, workstationId);
    const socket = await connectWorkstation(url, { token: session.token, workstationId });
    sockets.push(socket);
    return socket;
  }

  function eventOf(workstationId: string, seq: number): SyncEvent {
    return decisionEvent({ agentId: agent.id, workstationId, debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq, at: NOW.toISOString() });
  }

  it('turns away a batch, then stores it', async () => {
    const first = await connect('ws-a');
    const second = await connect('ws-b');
    const firstEvent = eventOf('ws-a', 1);
    const secondEvent = eventOf('ws-b', 1);

    const running = first.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [firstEvent] });
    // A socket's messages are handled in order, and the push handler reaches the valve without
    // waiting on anything else. So once this ping is acknowledged, the first batch holds the gate.
    await first.emitWithAck(SOCKET_EVENTS.clockPing, {});
    const turnedAway = pushAckSchema.parse(await second.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [secondEvent] }));

    expect(turnedAway).toEqual({ ok: false, error: INGEST_BUSY_MESSAGE, retryAfterMs: 1_500 });
    expect(second.connected).toBe(true);

    valve.open();
    expect(pushAckSchema.parse(await running)).toEqual({ ok: true, results: [{ id: firstEvent.id, status: 'stored' }] });
    expect(await realStore.countEvents()).toBe(1);

    const retried = pushAckSchema.parse(await second.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [secondEvent] }));
    expect(retried).toEqual({ ok: true, results: [{ id: secondEvent.id, status: 'stored' }] });
    expect(await realStore.countEvents()).toBe(2);
  });
});

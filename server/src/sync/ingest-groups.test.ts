import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushAckSchema, SOCKET_EVENTS, type User } from '@gestiona/core/sync';
import { hashToken, newSessionToken } from '../auth/tokens.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation } from '../fixtures/server.ts';
import { buildHttpApp } from '../http.ts';
import { createLogger } from '../logger.ts';
import { attachSocketServer } from '../socket.ts';
import type { ServerStore } from '../store/types.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const DEBTOR = 'CC-53000001';
const WORKSTATIONS = 40;

/**
 * Wraps the store given to the socket server and records the size of every group commit (one
 * `ingestEvents` call). Each group waits until the test opens the valve, so that the pushes that
 * arrive meanwhile wait in the ingest gate and the group committer.
 */
function withCountedGroups(store: ServerStore): { store: ServerStore; groupSizes: number[]; open(): void } {
  let open!: () => void;
  const valve = new Promise<void>((resolve) => {
    open = resolve;
  });
  const groupSizes: number[] = [];
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'ingestEvents') {
        return async (...args: Parameters<ServerStore['ingestEvents']>) => {
          groupSizes.push(args[0].length);
          await valve;
          return target.ingestEvents(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, groupSizes, open };
}

/**
 * Returns the group sizes that one-event pushes from every workstation make when all but the first
 * arrive while the first one's group runs: that push alone, then the others in groups as large as
 * the store allows. Full groups may start beside the running one, and the rest forms one last group.
 */
function expectedGroupSizes(maxGroupEvents: number): number[] {
  const sizes = [1];
  for (let left = WORKSTATIONS - 1; left > 0; left -= maxGroupEvents) sizes.push(Math.min(left, maxGroupEvents));
  return sizes;
}

/**
 * One-event pushes from many workstations while a group runs. With the default ingest limits, the
 * gate lets all of them through to the group committer, so they wait there and fill the next
 * groups. A gate of 8 batches at once made groups of at most 8 events.
 */
describe.each(BACKEND_NAMES)('ingest groups on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let realStore: ServerStore;
  let counted: ReturnType<typeof withCountedGroups>;
  let close: () => Promise<void>;
  let url: string;
  let agent: User;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    const logger = createLogger({ level: 'silent' });
    realStore = await backend.openStore(await backend.createDatabase());
    counted = withCountedGroups(realStore);
    const app = buildHttpApp({ store: counted.store, logger, now: () => NOW });
    const io = attachSocketServer({ httpServer: app.server, store: counted.store, logger, now: () => NOW });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = async () => {
      for (const socket of sockets) socket.close();
      await io.close();
      await app.close();
      await realStore.close();
    };

    agent = await realStore.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    await realStore.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: DEBTOR.slice(3) })])), now: NOW });
    await realStore.leaseUnassigned(NOW);
  });

  afterAll(async () => {
    await close();
  });

  /** Connects a workstation with a session written to the store, because the login route accepts 60 logins a minute. */
  async function connect(workstationId: string): Promise<Socket> {
    const token = newSessionToken();
    await realStore.createSession({ tokenHash: hashToken(token), userId: agent.id, workstationId, createdAt: NOW, expiresAt: new Date(NOW.getTime() + 86_400_000) });
    const socket = await connectWorkstation(url, { token, workstationId });
    sockets.push(socket);
    return socket;
  }

  async function push(socket: Socket, workstationId: string): Promise<{ acked: Promise<unknown>; id: string }> {
    const event = decisionEvent({ agentId: agent.id, workstationId, debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq: 1, at: NOW.toISOString() });
    const acked = socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [event] });
    // A socket's messages are handled in order, and the push handler passes the gate before its
    // first await. So once this ping is acknowledged, the push is running or queued.
    await socket.emitWithAck(SOCKET_EVENTS.clockPing, {});
    return { acked, id: event.id };
  }

  it('fills groups with pushes of many workstations', async () => {
    const workstationIds = Array.from({ length: WORKSTATIONS }, (_, index) => `ws-${String(index + 1).padStart(2, '0')}`);
    const connected = await Promise.all(workstationIds.map((workstationId) => connect(workstationId)));

    const first = await push(connected[0]!, workstationIds[0]!);
    // The committer starts the first group on a 0 ms timer; the other pushes arrive while it waits at the valve.
    await expect.poll(() => counted.groupSizes.length).toBe(1);
    const later = [];
    for (let index = 1; index < WORKSTATIONS; index += 1) later.push(await push(connected[index]!, workstationIds[index]!));
    counted.open();

    for (const pushed of [first, ...later]) {
      expect(pushAckSchema.parse(await pushed.acked)).toEqual({ ok: true, results: [{ id: pushed.id, status: 'stored' }] });
    }
    expect(counted.groupSizes).toEqual(expectedGroupSizes(realStore.groupCommit.maxGroupEvents));
    expect(await realStore.countEvents()).toBe(WORKSTATIONS);
  });
});

import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { feedEntrySchema, pullAckSchema, pushAckSchema, SOCKET_EVENTS, type User } from '@gestiona/core/sync';
import type { RunningServer } from './app.ts';
import { useTestBackend } from './fixtures/backends.ts';
import { interactionEvent } from './fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from './fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from './fixtures/server.ts';
import type { StoreLocation } from './store/open-store.ts';

/** The Redis the tests share; each test run uses its own channel prefix on it. */
const REDIS_URL = process.env.GESTIONA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const HOUR = 60 * 60 * 1000;
const T0 = new Date('2026-12-07T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTORS = ['CC-61000001', 'CC-61000002', 'CC-61000003'];

describe('two server nodes on one PostgreSQL database and one Redis', () => {
  const backend = useTestBackend('postgres');
  const keyPrefix = `gestiona-test-${randomBytes(6).toString('hex')}`;
  let location: StoreLocation;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  let agent1: User;
  let agent2: User;
  let clock = T0;
  const sockets: Socket[] = [];

  const startNode = () => startTestServer(location, { redisUrl: REDIS_URL, redisKeyPrefix: keyPrefix, now: () => clock });

  async function connectAs(node: RunningServer, username: string, workstationId: string): Promise<Socket> {
    const session = await login(node.url, username, PASSWORD, workstationId);
    const socket = await connectWorkstation(node.url, { token: session.token, workstationId });
    sockets.push(socket);
    return socket;
  }

  async function pull(socket: Socket, after = 0) {
    const ack = pullAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pullFeed, { after, limit: 500 }));
    if (!ack.ok) throw new Error(ack.error);
    return { cursor: ack.cursor, entries: ack.entries.map((entry) => feedEntrySchema.parse(entry)) };
  }

  function nextHint(socket: Socket): Promise<void> {
    return new Promise((resolve) => socket.once(SOCKET_EVENTS.feedHint, () => resolve()));
  }

  beforeAll(async () => {
    location = await backend.createDatabase();
    nodeA = await startNode();
    nodeB = await startNode();

    agent1 = await nodeA.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, T0);
    agent2 = await nodeB.store.createUser({ username: 'agente2', fullName: 'Julián Muñoz', role: 'agent', password: PASSWORD }, T0);
    const rows = DEBTORS.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}` }));
    await nodeA.store.importPortfolio({ fileName: 'nodes.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
  });

  it('hints a workstation on node A about a lease granted through node B', async () => {
    const workstation = await connectAs(nodeA, 'agente1', 'ws-a');
    const { cursor } = await pull(workstation);

    const hinted = nextHint(workstation);
    await nodeB.store.grantLease(DEBTORS[0]!, agent1.id, clock);
    await hinted;

    const { entries } = await pull(workstation, cursor);
    expect(entries.map((entry) => entry.type)).toEqual(['debtor.upsert']);
    expect(entries[0]?.payload).toMatchObject({ id: DEBTORS[0] });
  });

  it('hints a workstation on node A about a contact ingested through node B', async () => {
    await nodeA.store.grantLease(DEBTORS[1]!, agent2.id, clock);
    const madeAt = clock;
    clock = new Date(T0.getTime() + HOUR);
    await nodeA.store.reassignDebtor(DEBTORS[1]!, agent1.id, clock);

    const holder = await connectAs(nodeA, 'agente1', 'ws-a');
    const { cursor } = await pull(holder);
    const previous = await connectAs(nodeB, 'agente2', 'ws-b');

    // agente2 typified the call while it still held the debtor, and its workstation sends it late.
    const hinted = nextHint(holder);
    const late = interactionEvent({
      agentId: agent2.id,
      workstationId: 'ws-b',
      debtorId: DEBTORS[1]!,
      personId: DEBTORS[1]!,
      contactPointId: `${DEBTORS[1]}/celular`,
      seq: 1,
      at: madeAt.toISOString(),
    });
    const ack = pushAckSchema.parse(await previous.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [late] }));
    expect(ack).toEqual({ ok: true, results: [{ id: late.id, status: 'stored' }] });
    await hinted;

    const { entries } = await pull(holder, cursor);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'ledger.add', payload: { debtorId: DEBTORS[1], personId: DEBTORS[1], kind: 'attempt' } });
  });

  it('serves the same feed from both nodes', async () => {
    await nodeB.store.grantLease(DEBTORS[2]!, agent1.id, clock);
    const onA = await pull(await connectAs(nodeA, 'agente1', 'ws-a'));
    const onB = await pull(await connectAs(nodeB, 'agente1', 'ws-b1'));

    expect(onA.entries.length).toBeGreaterThan(0);
    expect(onB).toEqual(onA);
    // The content both nodes published at start went into the feed once.
    expect(onA.entries.filter((entry) => entry.type === 'catalog.set')).toHaveLength(1);
  });

  it('stops node B without dropping node A’s sockets', async () => {
    const workstation = await connectAs(nodeA, 'agente1', 'ws-a');
    await connectAs(nodeB, 'agente2', 'ws-b');
    const online = async () => Object.fromEntries((await nodeA.store.listWorkstations()).map((record) => [record.id, record.connected]));
    await vi.waitFor(async () => expect(await online()).toMatchObject({ 'ws-a': true, 'ws-b': true }));

    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      const namedClients = async () => (await redis.sendCommand<string>(['CLIENT', 'LIST'])).split('\n').filter((line) => line.includes(`name=gestiona:${keyPrefix} `));
      expect(await namedClients()).toHaveLength(4);

      await nodeB.close();
      expect(await namedClients()).toHaveLength(2);
      expect(workstation.connected).toBe(true);
      expect(await online()).toMatchObject({ 'ws-a': true, 'ws-b': false });
      expect(await workstation.emitWithAck(SOCKET_EVENTS.clockPing)).toEqual({ serverTime: '2026-12-07T10:00:00-05:00' });

      await nodeA.close();
      expect(await namedClients()).toEqual([]);
      expect(await redis.pubSubChannels(`${keyPrefix}*`)).toEqual([]);
    } finally {
      await redis.close();
    }
  });
});

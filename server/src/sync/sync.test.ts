import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { feedEntrySchema, MAX_PUSH_BATCH, pullAckSchema, pushAckSchema, SOCKET_EVENTS, type SyncEvent, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { MAX_MESSAGE_BYTES } from '../socket.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import type { StoreLocation } from '../store/open-store.ts';

const HOUR = 60 * 60 * 1000;
const T0 = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTORS = ['CC-51000001', 'CC-51000002', 'CC-51000003', 'CC-51000004'];

describe.each(BACKEND_NAMES)('sync on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let location: StoreLocation;
  let server: RunningServer;
  let clock: Date;
  let agent1: User;
  let agent2: User;
  const sockets: Socket[] = [];

  async function start(): Promise<void> {
    server = await startTestServer(location, { now: () => clock });
  }

  async function connectAs(username: string, workstationId: string): Promise<Socket> {
    const session = await login(server.url, username, PASSWORD, workstationId);
    const socket = await connectWorkstation(server.url, { token: session.token, workstationId });
    sockets.push(socket);
    return socket;
  }

  async function push(socket: Socket, events: unknown[]) {
    return pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events }));
  }

  async function pullAll(socket: Socket, after = 0, limit = 500) {
    const ack = pullAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pullFeed, { after, limit }));
    if (!ack.ok) throw new Error(ack.error);
    return ack;
  }

  /** Debtors leased to each agent, from the store. */
  async function leasedTo(agentId: string): Promise<string[]> {
    return (await server.store.listActiveLeases(clock, agentId)).map((lease) => lease.debtorId).sort();
  }

  function target(agent: User, workstationId: string, debtorId: string, seq: number, at = clock): EventTarget {
    return { agentId: agent.id, workstationId, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq, at: at.toISOString() };
  }

  beforeAll(async () => {
    location = await backend.createDatabase();
    clock = T0;
    await start();
    agent1 = await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    agent2 = await server.store.createUser({ username: 'agente2', fullName: 'Julián Muñoz', role: 'agent', password: PASSWORD });
    const rows = DEBTORS.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}`, dias_mora: String(10 + index) }));
    await server.store.importPortfolio({ fileName: 'sync.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
    await server.store.leaseUnassigned(T0);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await server.close();
  });

  describe('socket authentication', () => {
    const rejected: [string, () => Promise<unknown>][] = [
      ['no auth', async () => ({})],
      ['a malformed auth', async () => ({ token: 'short', workstationId: 'ws-1' })],
      ['an unknown token', async () => ({ token: 'x'.repeat(43), workstationId: 'ws-1' })],
      ['a token of another workstation', async () => ({ token: (await login(server.url, 'agente1', PASSWORD, 'ws-1')).token, workstationId: 'ws-2' })],
    ];

    it.each(rejected)('rejects %s as unauthorized', async (_case, auth) => {
      await expect(connectWorkstation(server.url, await auth())).rejects.toThrow('unauthorized');
    });

    it('rejects an expired session', async () => {
      const session = await login(server.url, 'agente1', PASSWORD, 'ws-1');
      clock = new Date(T0.getTime() + 13 * HOUR);
      try {
        await expect(connectWorkstation(server.url, { token: session.token, workstationId: 'ws-1' })).rejects.toThrow('unauthorized');
      } finally {
        clock = T0;
      }
    });

    it('records the workstation while it is connected', async () => {
      const socket = await connectAs('agente1', 'ws-record');
      await vi.waitFor(async () => {
        expect((await server.store.listWorkstations()).find((workstation) => workstation.id === 'ws-record')).toMatchObject({ agentId: agent1.id, connected: true });
      });
      socket.close();
      await vi.waitFor(async () => {
        expect((await server.store.listWorkstations()).find((workstation) => workstation.id === 'ws-record')?.connected).toBe(false);
      });
    });
  });

  describe('feed:pull', () => {
    it('pages through the feed with no entry skipped or repeated', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      const whole = await pullAll(socket);
      expect(whole.hasMore).toBe(false);

      const paged: number[] = [];
      let cursor = 0;
      for (;;) {
        const page = await pullAll(socket, cursor, 3);
        paged.push(...page.entries.map((entry) => feedEntrySchema.parse(entry).seq));
        expect(page.entries.length).toBeLessThanOrEqual(3);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      const seqs = whole.entries.map((entry) => feedEntrySchema.parse(entry).seq);
      expect(paged).toEqual(seqs);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(cursor).toBe(seqs.at(-1));

      const empty = await pullAll(socket, cursor, 10);
      expect(empty).toEqual({ ok: true, entries: [], cursor, hasMore: false });
    });

    it('sends global content to everyone and debtors only to their holder', async () => {
      const first = (await pullAll(await connectAs('agente1', 'ws-1'))).entries.map((entry) => feedEntrySchema.parse(entry));
      const second = (await pullAll(await connectAs('agente2', 'ws-2'))).entries.map((entry) => feedEntrySchema.parse(entry));

      const types = (entries: typeof first) => new Set(entries.map((entry) => entry.type));
      const expectedTypes = new Set(['catalog.set', 'rulepack.set', 'script.set', 'strategy.set', 'debtor.upsert']);
      expect(types(first)).toEqual(expectedTypes);
      expect(types(second)).toEqual(expectedTypes);
      const debtorsOf = (entries: typeof first) => entries.flatMap((entry) => (entry.type === 'debtor.upsert' ? [entry.payload.id] : [])).sort();
      expect(debtorsOf(first)).toEqual(await leasedTo(agent1.id));
      expect(debtorsOf(second)).toEqual(await leasedTo(agent2.id));
      expect(first.filter((entry) => entry.type === 'script.set')).toHaveLength(5);
    });

    it('answers a malformed pull with an error acknowledgement', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      for (const payload of [{ after: -1, limit: 10 }, { after: 0, limit: 501 }, 'todo', null]) {
        const ack = pullAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pullFeed, payload));
        expect(ack.ok, JSON.stringify(payload)).toBe(false);
      }
    });
  });

  describe('events:push', () => {
    it('stores a batch once and acknowledges a re-sent batch as duplicate', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      const [debtorId] = await leasedTo(agent1.id);
      const events = [decisionEvent(target(agent1, 'ws-1', debtorId!, 1)), interactionEvent(target(agent1, 'ws-1', debtorId!, 2), { code: 'PP', kind: 'two-way' })];
      const before = await server.store.countEvents();

      const first = await push(socket, events);
      expect(first).toEqual({ ok: true, results: events.map((event) => ({ id: event.id, status: 'stored' })) });
      expect(await server.store.countEvents()).toBe(before + 2);

      const again = await push(socket, events);
      expect(again).toEqual({ ok: true, results: events.map((event) => ({ id: event.id, status: 'duplicate' })) });
      expect(await server.store.countEvents()).toBe(before + 2);

      const interactions = await server.store.findInteractions(debtorId!);
      expect(interactions.filter((interaction) => interaction.interactionId === (events[1] as Extract<SyncEvent, { type: 'interaction.recorded' }>).payload.interactionId)).toHaveLength(1);
      const ledger = await server.store.findLedger(debtorId!);
      expect(ledger.at(-1)).toMatchObject({ personId: debtorId, channel: 'voice', kind: 'two-way' });
    });

    it('rejects and keeps aside unauthorised events', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      const [mine] = await leasedTo(agent1.id);
      const [theirs] = await leasedTo(agent2.id);
      const invalid = { ...interactionEvent(target(agent1, 'ws-1', mine!, 9)), payload: { debtorId: mine } };
      const events: unknown[] = [
        interactionEvent(target(agent2, 'ws-1', mine!, 3)),
        interactionEvent(target(agent1, 'ws-9', mine!, 4)),
        interactionEvent(target(agent1, 'ws-1', theirs!, 5)),
        interactionEvent(target(agent1, 'ws-1', mine!, 6, new Date(T0.getTime() - HOUR))),
        invalid,
        'not an event',
      ];
      const beforeEvents = await server.store.countEvents();
      const beforeRejected = await server.store.countRejectedEvents();

      const ack = await push(socket, events);
      if (!ack.ok) throw new Error(ack.error);
      expect(ack.results.map((result) => result.status)).toEqual(Array(6).fill('rejected'));
      expect(ack.results.map((result) => result.error)).toEqual([
        expect.stringContaining('wrong agent'),
        expect.stringContaining('wrong workstation'),
        expect.stringContaining('not leased'),
        expect.stringContaining('not leased'),
        expect.stringContaining('invalid event'),
        expect.stringContaining('invalid event'),
      ]);
      expect(ack.results[0]!.id).toBe((events[0] as SyncEvent).id);
      expect(ack.results[5]!.id).toBe('#5');

      expect(await server.store.countEvents()).toBe(beforeEvents);
      expect(await server.store.countRejectedEvents()).toBe(beforeRejected + 6);
      const codes = (await server.store.listRejectedEvents()).slice(-6).map((record) => record.code);
      expect(codes).toEqual(['wrong-agent', 'wrong-workstation', 'not-leased', 'not-leased', 'invalid-event', 'invalid-event']);
    });

    it('rejects the NUL character on both stores', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      const [debtorId] = await leasedTo(agent1.id);
      const withNulNote = interactionEvent(target(agent1, 'ws-1', debtorId!, 80));
      (withNulNote.payload as { note: string | null }).note = 'dijo\u0000algo';
      const malformedWithNulId = { id: 'evento\u0000raro', type: 'interaction.recorded' };
      const beforeEvents = await server.store.countEvents();

      const ack = await push(socket, [withNulNote, malformedWithNulId]);
      if (!ack.ok) throw new Error(ack.error);
      expect(ack.results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(ack.results[0]!.error).toMatch(/U\+0000/);
      expect(await server.store.countEvents()).toBe(beforeEvents);

      const [first, second] = (await server.store.listRejectedEvents()).slice(-2);
      expect(first).toMatchObject({ eventId: withNulNote.id, code: 'invalid-event' });
      expect(JSON.parse(first!.raw)).toMatchObject({ payload: { note: 'dijo\u0000algo' } });
      expect(second).toMatchObject({ eventId: 'evento\uFFFDraro', code: 'invalid-event' });
    });

    it('answers a malformed or oversized batch with an error acknowledgement', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      const [debtorId] = await leasedTo(agent1.id);
      const tooMany = Array.from({ length: MAX_PUSH_BATCH + 1 }, (_, index) => interactionEvent(target(agent1, 'ws-1', debtorId!, 100 + index)));
      for (const payload of [{ events: [] }, { events: tooMany }, { nada: true }, null]) {
        const ack = pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, payload));
        expect(ack.ok).toBe(false);
      }
      socket.emit(SOCKET_EVENTS.pushEvents, { events: [] });
      expect(await socket.emitWithAck(SOCKET_EVENTS.clockPing)).toEqual({ serverTime: '2026-12-04T09:00:00-05:00' });
    });

    it('drops a connection whose message exceeds the size limit', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
      socket.emit(SOCKET_EVENTS.pushEvents, { events: ['x'.repeat(MAX_MESSAGE_BYTES + 1)] });
      expect(await closed).toBe('transport close');

      const other = await connectAs('agente1', 'ws-1');
      expect(await other.emitWithAck(SOCKET_EVENTS.clockPing)).toEqual({ serverTime: '2026-12-04T09:00:00-05:00' });
    });

    it('sends the contact to the debtor’s current holder and hints their workstation', async () => {
      const first = await connectAs('agente1', 'ws-1');
      const second = await connectAs('agente2', 'ws-2');
      const [debtorId] = await leasedTo(agent1.id);
      const madeAt = clock;
      await pullAll(second);

      clock = new Date(T0.getTime() + HOUR);
      await server.store.reassignDebtor(debtorId!, agent2.id, clock);
      const cursor = (await pullAll(second)).cursor;

      const hinted = new Promise<void>((resolve) => second.once(SOCKET_EVENTS.feedHint, () => resolve()));
      const late = interactionEvent(target(agent1, 'ws-1', debtorId!, 50, madeAt));
      expect(await push(first, [late])).toEqual({ ok: true, results: [{ id: late.id, status: 'stored' }] });
      await hinted;

      const entries = (await pullAll(second, cursor)).entries.map((entry) => feedEntrySchema.parse(entry));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ type: 'ledger.add', payload: { debtorId, personId: debtorId, kind: 'attempt' } });

      await server.store.reassignDebtor(debtorId!, agent1.id, clock);
      clock = T0;
    });
  });

  describe('clock and state', () => {
    it('returns the server time', async () => {
      const socket = await connectAs('agente1', 'ws-1');
      expect(await socket.emitWithAck(SOCKET_EVENTS.clockPing)).toEqual({ serverTime: '2026-12-04T09:00:00-05:00' });
    });

    it('stores a reported state and refuses a malformed one', async () => {
      const socket = await connectAs('agente1', 'ws-state');
      expect(await socket.emitWithAck(SOCKET_EVENTS.reportState, { agentState: 'available', outboxPending: 3 })).toEqual({ ok: true });
      const record = (await server.store.listWorkstations()).find((workstation) => workstation.id === 'ws-state');
      expect(record?.state).toEqual({ agentState: 'available', outboxPending: 3 });

      const tooBig = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`k${index}`, index]));
      for (const state of [tooBig, { nested: { a: 1 } }, 'ocupado']) {
        expect(await socket.emitWithAck(SOCKET_EVENTS.reportState, state)).toMatchObject({ ok: false });
      }
    });
  });

  describe('restart', () => {
    it('keeps stored events and acknowledges a replay as duplicate', async () => {
      let socket = await connectAs('agente1', 'ws-1');
      const [debtorId] = await leasedTo(agent1.id);
      const events = [interactionEvent(target(agent1, 'ws-1', debtorId!, 70)), interactionEvent(target(agent1, 'ws-1', debtorId!, 71))];
      expect((await push(socket, events)).ok).toBe(true);
      const stored = await server.store.countEvents();
      const changes = await server.store.countChanges();
      const cursor = (await pullAll(socket)).cursor;
      socket.close();

      await server.close();
      await start();

      socket = await connectAs('agente1', 'ws-1');
      expect(await server.store.countEvents()).toBe(stored);
      expect(await push(socket, events)).toEqual({ ok: true, results: events.map((event) => ({ id: event.id, status: 'duplicate' })) });
      expect(await server.store.countEvents()).toBe(stored);

      // Unchanged content is not published again, so the cursor resumes with nothing new.
      expect(await server.store.countChanges()).toBe(changes);
      expect(await pullAll(socket, cursor)).toEqual({ ok: true, entries: [], cursor, hasMore: false });
    });
  });

  describe('lease renewal on connect', () => {
    it('renews half-spent leases on connect', async () => {
      const before = await leasedTo(agent2.id);
      const socket = await connectAs('agente2', 'ws-2');
      const cursor = (await pullAll(socket)).cursor;
      socket.close();

      clock = new Date(T0.getTime() + 4 * 24 * HOUR);
      try {
        const later = await connectAs('agente2', 'ws-2');
        await vi.waitFor(async () => {
          const page = await pullAll(later, cursor);
          const upserts = page.entries.map((entry) => feedEntrySchema.parse(entry)).filter((entry) => entry.type === 'debtor.upsert');
          expect(upserts.map((entry) => entry.payload.id).sort()).toEqual(before);
          for (const entry of upserts) expect(new Date(entry.payload.leaseUntil).getTime()).toBe(clock.getTime() + 7 * 24 * HOUR);
        });
        expect(await leasedTo(agent2.id)).toEqual(before);
      } finally {
        clock = T0;
      }
    });
  });
});

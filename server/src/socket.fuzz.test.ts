/**
 * Hostile payloads on every socket event a workstation may send: arbitrary values, binary
 * attachments, extra arguments, missing acknowledgements and bursts. Each malformed call gets an
 * error acknowledgement (or, without one, is ignored), nothing reaches the store, and the server
 * keeps serving the other sockets. Inside `events:push`, corrupt events are kept aside and their
 * valid siblings in the same batch are stored.
 */
import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullAckSchema, pullRequestSchema, pushAckSchema, pushRequestSchema, SOCKET_EVENTS, syncEventSchema, type User } from '@gestiona/core/sync';
import type { RunningServer } from './app.ts';
import { BACKEND_NAMES, useTestBackend } from './fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from './fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from './fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from './fixtures/server.ts';
import { workstationStateSchema } from './sync/workstation-state.ts';

const T0 = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTOR = 'CC-52000001';
const SERVER_TIME = { serverTime: '2026-12-04T09:00:00-05:00' };

/**
 * What a socket.io client can put in an argument: JSON values, binary attachments and nested mixes
 * of both. No `undefined`: JSON drops it on the way, so the server would see another value.
 */
const socketValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('events', 'after', 'limit', 'agentState', '__proto__', 'constructor', ''), fc.jsonValue()),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.record({ events: fc.array(fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes)), { minLength: 1, maxLength: 3 }) }),
  fc.record({ after: fc.jsonValue(), limit: fc.jsonValue() }),
  fc.constantFrom<unknown>(JSON.parse('{"__proto__": {"polluted": true}, "events": 1}'), { constructor: { prototype: { polluted: true } } }, 'x'.repeat(200_000)),
);

/** A value of a JSON object field that no event schema accepts there. */
const wrongField: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, 42, -1, true, '', 'x'.repeat(5_000), [], {}, '2026-02-30T10:00:00-05:00', 'evento\u0000nulo'),
  fc.jsonValue(),
);

describe.each(BACKEND_NAMES)('socket events with hostile payloads on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let agent: User;
  let socket: Socket;
  let bystander: Socket;
  let seq = 1;

  /** Counts that any accepted payload would change. */
  async function storeCounts(): Promise<Record<string, unknown>> {
    const workstation = (await server.store.listWorkstations()).find((record) => record.id === 'ws-fuzz');
    return {
      events: await server.store.countEvents(),
      rejected: await server.store.countRejectedEvents(),
      changes: await server.store.countChanges(),
      debtors: await server.store.countDebtors(),
      state: workstation?.state ?? null,
    };
  }

  function target(): EventTarget {
    seq += 1;
    return { agentId: agent.id, workstationId: 'ws-fuzz', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq, at: T0.toISOString() };
  }

  beforeAll(async () => {
    const location = await backend.createDatabase();
    server = await startTestServer(location, { now: () => T0 });
    agent = await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'agente2', fullName: 'Julián Muñoz', role: 'agent', password: PASSWORD });
    await server.store.importPortfolio({ fileName: 'fuzz.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: DEBTOR.slice(3) })])), now: T0 });
    await server.store.reassignDebtor(DEBTOR, agent.id, T0);

    const session = await login(server.url, 'agente1', PASSWORD, 'ws-fuzz');
    socket = await connectWorkstation(server.url, { token: session.token, workstationId: 'ws-fuzz' });
    const other = await login(server.url, 'agente2', PASSWORD, 'ws-other');
    bystander = await connectWorkstation(server.url, { token: other.token, workstationId: 'ws-other' });
  });

  afterAll(async () => {
    socket?.close();
    bystander?.close();
    await server?.close();
  });

  it('answers malformed pushes and pulls with errors', async () => {
    const before = await storeCounts();

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(SOCKET_EVENTS.pushEvents, SOCKET_EVENTS.pullFeed), fc.array(socketValue, { maxLength: 3 }), async (event, args) => {
        const schema = event === SOCKET_EVENTS.pushEvents ? pushRequestSchema : pullRequestSchema;
        fc.pre(!schema.safeParse(args[0]).success);

        const ack: unknown = await socket.timeout(10_000).emitWithAck(event, ...args);

        const parsed = (event === SOCKET_EVENTS.pushEvents ? pushAckSchema : pullAckSchema).parse(ack);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.error).toMatch(/^(Lote|Solicitud) inválid[ao]: /);
      }),
      { numRuns: 60 },
    );

    expect(await storeCounts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses malformed states and answers clock pings whatever the arguments', async () => {
    const before = await storeCounts();

    await fc.assert(
      fc.asyncProperty(fc.array(socketValue, { maxLength: 3 }), async (args) => {
        expect(await socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.clockPing, ...args)).toEqual(SERVER_TIME);

        fc.pre(!workstationStateSchema.safeParse(args[0]).success);
        const ack = (await socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.reportState, ...args)) as { ok: boolean; error?: string };
        expect(ack.ok).toBe(false);
        expect(ack.error).toMatch(/^Estado inválido: /);
      }),
      { numRuns: 60 },
    );

    expect(await storeCounts()).toEqual(before);
  });

  it('ignores calls without an acknowledgement', async () => {
    const before = await storeCounts();
    const garbage = fc.sample(socketValue, { numRuns: 20, seed: 7 });

    for (const value of garbage) {
      socket.emit(SOCKET_EVENTS.pushEvents, value);
      socket.emit(SOCKET_EVENTS.pullFeed, value);
      socket.emit(SOCKET_EVENTS.reportState, 'ocupado');
      socket.emit(SOCKET_EVENTS.clockPing);
      socket.emit('evento:desconocido', value);
    }

    // socket.io delivers one socket's packets in order, so this ack comes after every call above.
    expect(await socket.emitWithAck(SOCKET_EVENTS.clockPing)).toEqual(SERVER_TIME);
    expect(await storeCounts()).toEqual(before);
  });

  it('answers every call of a burst and keeps serving others', async () => {
    const before = await storeCounts();
    const calls = Array.from({ length: 400 }, (_, index) =>
      socket.timeout(30_000).emitWithAck(index % 2 === 0 ? SOCKET_EVENTS.pushEvents : SOCKET_EVENTS.pullFeed, { events: 'no', after: -index }),
    );

    const bystanderPing = bystander.timeout(30_000).emitWithAck(SOCKET_EVENTS.clockPing);
    const acks = (await Promise.all(calls)) as Array<{ ok: boolean }>;

    expect(acks.filter((ack) => ack.ok === false)).toHaveLength(calls.length);
    expect(await bystanderPing).toEqual(SERVER_TIME);
    expect(await storeCounts()).toEqual(before);
  });

  it('keeps corrupt events aside and stores their valid siblings', async () => {
    const corruption = fc.oneof(
      fc.record({ kind: fc.constant('payload-field' as const), field: fc.constantFrom('debtorId', 'personId', 'channel', 'code', 'kind', 'typifiedAt', 'fields', 'note', 'interactionId', 'decision', 'decisionId', 'trustedAt', 'clockOffsetMs'), value: wrongField }),
      fc.record({ kind: fc.constant('top-field' as const), field: fc.constantFrom('id', 'type', 'seq', 'agentId', 'occurredAt', 'workstationId', 'payload'), value: wrongField }),
      fc.record({ kind: fc.constant('drop' as const), field: fc.constantFrom('id', 'type', 'seq', 'payload', 'occurredAt') }),
      fc.record({ kind: fc.constant('retype' as const), type: fc.constantFrom('decision.recorded', 'interaction.recorded', 'lease.released', 'evento.desconocido') }),
    );

    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(corruption, { nil: null }), { minLength: 1, maxLength: 6 }), async (plan) => {
        const batch = plan.map((change, index) => {
          const built = index % 2 === 0 ? interactionEvent(target()) : decisionEvent(target());
          const event = structuredClone(built) as unknown as Record<string, unknown>;
          if (change === null) return { event, intact: true, parses: true };
          if (change.kind === 'drop') delete event[change.field];
          else if (change.kind === 'retype') event.type = change.type;
          else if (change.kind === 'top-field') event[change.field] = change.value;
          else (event.payload as Record<string, unknown>)[change.field] = change.value;
          // A corruption may still parse (a note replaced by another string); ingest then decides.
          return { event, intact: false, parses: syncEventSchema.safeParse(event).success };
        });
        const before = await storeCounts();

        const ack = pushAckSchema.parse(await socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.pushEvents, { events: batch.map((item) => item.event) }));

        if (!ack.ok) throw new Error(ack.error);
        expect(ack.results).toHaveLength(batch.length);
        // The server orders a batch by seq before ingest, so results are matched by event id.
        const byId = new Map(ack.results.map((result) => [result.id, result]));
        for (const item of batch.filter((candidate) => candidate.intact)) expect(byId.get(item.event.id as string)?.status).toBe('stored');
        const unparsable = batch.filter((item) => !item.parses).length;
        const invalid = ack.results.filter((result) => result.status === 'rejected' && result.error?.startsWith('Evento inválido'));
        expect(invalid.length).toBeGreaterThanOrEqual(unparsable);

        const stored = ack.results.filter((result) => result.status === 'stored').length;
        const rejected = ack.results.filter((result) => result.status === 'rejected').length;
        expect(stored + rejected).toBe(batch.length);
        const after = await storeCounts();
        expect(after.events).toBe((before.events as number) + stored);
        expect(after.rejected).toBe((before.rejected as number) + rejected);
      }),
      { numRuns: 25 },
    );
  });
});

import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOARD_HINT_EVENT, boardDrillSchema, boardSchema, boardTrendsSchema, type Board, type BoardDrill, type BoardTrends } from '@gestiona/core/board';
import { pushAckSchema, SOCKET_EVENTS, type SyncEvent, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import type { BoardHintPayload } from './board-live.ts';

// Monday 7 Dec 2026, 15:00 in Bogotá.
const NOW = new Date('2026-12-07T15:00:00-05:00');
const LEASED_AT = new Date('2026-12-04T08:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTORS = ['CC-73000001', 'CC-73000002', 'CC-73000003', 'CC-73000004'] as const;
const WAIT = { timeout: 5_000, interval: 20 };

/** The interaction of the dial `decision`, typified `seconds` after it. */
function typifiedAfter(decision: SyncEvent, event: SyncEvent, seconds: number, fields: Record<string, unknown> = {}): SyncEvent {
  if (event.type !== 'interaction.recorded' || decision.type !== 'decision.recorded') throw new Error('expected a decision and its interaction');
  const typifiedAt = new Date(Date.parse(event.payload.dialedAt) + seconds * 1000).toISOString();
  return { ...event, payload: { ...event.payload, decisionId: decision.payload.decisionId, typifiedAt, localTypifiedAt: typifiedAt, fields: fields as never } };
}

describe.each(BACKEND_NAMES)('live board on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let ana: User;
  let julian: User;
  let anaSocket: Socket;
  let leadSocket: Socket;
  const tokens: Record<string, string> = {};
  const leadHints: BoardHintPayload[] = [];

  const get = async (path: string, token: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  };
  const readBoard = async (token = tokens.lider!): Promise<Board> => boardSchema.parse((await get('/api/board', token)).body);
  const readDrill = async (query: string, token = tokens.lider!): Promise<BoardDrill> => {
    const { status, body } = await get(`/api/board/drill?${query}`, token);
    expect(status).toBe(200);
    return boardDrillSchema.parse(body);
  };
  const readTrends = async (range: string, token = tokens.lider!): Promise<BoardTrends> => boardTrendsSchema.parse((await get(`/api/board/trends?range=${range}`, token)).body);

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    const { store } = server;
    await store.createTeam('Equipo Norte', LEASED_AT);
    await store.createTeam('Equipo Sur', LEASED_AT);
    ana = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD, team: 'Equipo Norte' });
    julian = await store.createUser({ username: 'agente2', fullName: 'Julián Muñoz Báez', role: 'agent', password: PASSWORD, team: 'Equipo Sur' });
    await store.createUser({ username: 'lider', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD, team: 'Equipo Norte' });
    await store.addTeamLead('lider', 'Equipo Norte');
    await store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });

    const rows = DEBTORS.map((debtorId, index) => portfolioRow({ numero_documento: debtorId.slice(3), numero_obligacion: `TC-91${index}` }));
    await store.importPortfolio({ fileName: 'tablero.csv', bytes: utf8(portfolioCsv(rows)), now: LEASED_AT });
    await store.grantLease(DEBTORS[0], ana.id, LEASED_AT);
    await store.grantLease(DEBTORS[1], ana.id, LEASED_AT);
    await store.grantLease(DEBTORS[2], ana.id, LEASED_AT);
    await store.grantLease(DEBTORS[3], julian.id, LEASED_AT);

    for (const username of ['agente1', 'agente2', 'lider', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
    anaSocket = await connectWorkstation(server.url, { token: tokens.agente1, workstationId: 'ws-agente1' });
    leadSocket = await connectWorkstation(server.url, { token: tokens.lider, workstationId: 'ws-lider' });
    leadSocket.on(BOARD_HINT_EVENT, (payload: BoardHintPayload) => leadHints.push(payload));

    const target = (debtorId: string, seq: number, at: string): EventTarget => ({
      agentId: ana.id,
      workstationId: 'ws-agente1',
      debtorId,
      personId: debtorId,
      contactPointId: `${debtorId}/celular`,
      seq,
      at,
    });
    const firstDial = decisionEvent(target(DEBTORS[0], 1, '2026-12-07T09:00:00-05:00'));
    const secondDial = decisionEvent(target(DEBTORS[1], 3, '2026-12-07T10:00:00-05:00'));
    const events: SyncEvent[] = [
      firstDial,
      typifiedAfter(firstDial, interactionEvent(target(DEBTORS[0], 2, '2026-12-07T09:00:00-05:00')), 180),
      secondDial,
      typifiedAfter(secondDial, interactionEvent(target(DEBTORS[1], 4, '2026-12-07T10:00:00-05:00'), { code: 'PP', kind: 'two-way' }), 60, {
        amount: 15_000_000,
        date: '2026-12-10',
      }),
      // Dialled, never typified.
      decisionEvent(target(DEBTORS[0], 5, '2026-12-07T12:00:00-05:00')),
    ];
    const ack = pushAckSchema.parse(await anaSocket.emitWithAck(SOCKET_EVENTS.pushEvents, { events }));
    expect(ack.ok && ack.results.map((result) => result.status)).toEqual(events.map(() => 'stored'));

    // Two wrap-ups, of 120 s and 30 s, then a call still on.
    const desk = (agentState: string, since: string) => ({ agentState, agentStateSince: since, pending: 0, clockTrusted: true });
    for (const report of [
      desk('on-call', '2026-12-07T09:00:00-05:00'),
      desk('wrap-up', '2026-12-07T09:01:00-05:00'),
      desk('available', '2026-12-07T09:03:00-05:00'),
      desk('wrap-up', '2026-12-07T10:00:30-05:00'),
      desk('available', '2026-12-07T10:01:00-05:00'),
      desk('available', '2026-12-07T10:01:00-05:00'),
      desk('on-call', '2026-12-07T12:00:00-05:00'),
    ]) {
      expect(await anaSocket.emitWithAck(SOCKET_EVENTS.reportState, report)).toEqual({ ok: true });
    }
    // The desk state changes are written in batches, within BOARD_HINT_INTERVAL_MS.
    await vi.waitFor(async () => expect((await readBoard(tokens.admin)).figures.total.avgWrapUpSeconds).toBe(75), WAIT);
  });

  afterAll(async () => {
    anaSocket.close();
    leadSocket.close();
    await server.close();
  });

  it('shows handle time, wrap-up time, untypified dials and pending debtors per agent', async () => {
    const row = (await readBoard()).agents.find((agent) => agent.agentId === ana.id)!;
    expect(row).toMatchObject({
      interactions: 2,
      avgHandleSeconds: 120,
      avgWrapUpSeconds: 75,
      untypified: 1,
      leasedDebtors: 3,
      debtorsPending: 1,
      promises: 1,
      promisedCents: 15_000_000,
    });
    expect(row.state).toBe('on-call');
  });

  it('counts a debtor whose every contactable person was contacted today as out of budget', async () => {
    const board = await readBoard(tokens.admin);
    const row = board.agents.find((agent) => agent.agentId === ana.id)!;
    // The two debtors with a contact today; their references never count.
    expect(row.budgetUsedDebtors).toBe(2);
    expect(board.agents.find((agent) => agent.agentId === julian.id)!.budgetUsedDebtors).toBe(0);
  });

  it('sums the figures per team and per queue to the total', async () => {
    const { figures } = await readBoard(tokens.admin);
    expect(figures.teams.map((team) => team.label)).toEqual(['Equipo Norte', 'Equipo Sur']);
    expect(figures.total).toMatchObject({ agents: 2, interactions: 2, rightPartyContacts: 1, promises: 1, debtorsPending: 2, untypified: 1, avgHandleSeconds: 120, avgWrapUpSeconds: 75 });
    for (const key of ['interactions', 'rightPartyContacts', 'promises', 'promisedCents', 'debtorsPending', 'untypified', 'budgetUsedDebtors'] as const) {
      expect(figures.teams.reduce((sum, team) => sum + team[key], 0)).toBe(figures.total[key]);
      expect(figures.queues.reduce((sum, queue) => sum + queue[key], 0)).toBe(figures.total[key]);
    }
    // Both debtors are in one segment, so its queue closed both wrap-ups.
    expect(figures.queues.map((queue) => queue.avgWrapUpSeconds)).toEqual([75]);
    // The one promise falls due on 10/12, so none is due or broken today.
    expect(figures.total).toMatchObject({ promisesDue: 0, promisesDueCents: 0, promisesBroken: 0, promisesBrokenCents: 0 });
  });

  it("keeps a team lead's figures to their teams", async () => {
    const { figures, agents } = await readBoard();
    expect(agents.map((agent) => agent.agentId)).toEqual([ana.id]);
    expect(figures.teams.map((team) => team.label)).toEqual(['Equipo Norte']);
    expect(figures.total.debtorsPending).toBe(1);
  });

  it('charts today by hour and the last 30 days by day', async () => {
    const today = await readTrends('today');
    expect(today.points.find((point) => point.key === '09')).toMatchObject({ label: '09:00', contacts: 1, rightPartyContacts: 0, promises: 0 });
    expect(today.points.find((point) => point.key === '10')).toMatchObject({ contacts: 1, rightPartyContacts: 1, promises: 1 });
    expect(today.points.reduce((sum, point) => sum + point.contacts, 0)).toBe(2);

    const month = await readTrends('30d');
    expect(month.points).toHaveLength(30);
    expect(month.points.at(-1)).toMatchObject({ key: '2026-12-07', label: '07/12', contacts: 2, promises: 1 });
    expect(month.points[0]!.key).toBe('2026-11-08');

    expect((await get('/api/board/trends?range=semana', tokens.lider!)).status).toBe(400);
    expect((await get('/api/board/trends?range=today', tokens.agente1!)).status).toBe(403);
  });

  it('opens the agents and debtors behind a figure', async () => {
    const promises = await readDrill('figure=promises&scope=all');
    expect(promises.agents).toEqual([{ agentId: ana.id, fullName: 'Ana María Peña', value: 1 }]);
    expect(promises.debtors).toHaveLength(1);
    expect(promises.debtors[0]).toMatchObject({ debtorId: DEBTORS[1], agentName: 'Ana María Peña', at: '2026-12-07T10:00:00-05:00' });
    expect(promises.debtors[0]!.detail).toMatch(/^PP · \$\s?150\.000$/);

    const handle = await readDrill(`figure=handle-time&scope=agent:${ana.id}`);
    expect(handle.agents[0]!.value).toBe(120);
    expect(handle.title).toBe('Tiempo medio de gestión · Ana María Peña');

    expect((await readDrill('figure=untypified')).debtors.map((debtor) => debtor.debtorId)).toEqual([DEBTORS[0]]);
    expect((await readDrill('figure=pending')).debtors.map((debtor) => debtor.debtorId)).toEqual([DEBTORS[2]]);
    expect((await readDrill('figure=wrap-up')).agents).toEqual([{ agentId: ana.id, fullName: 'Ana María Peña', value: 75 }]);
    expect((await readDrill('figure=worked')).debtors.map((debtor) => debtor.detail)).toEqual(['1 gestión', '1 gestión']);
  });

  it('keeps the drill-down to the lead\'s teams', async () => {
    const outside = await get(`/api/board/drill?figure=pending&scope=agent:${julian.id}`, tokens.lider!);
    expect(outside.status).toBe(404);
    expect(outside.body).toEqual({ error: 'Ese equipo o agente no está en los equipos que usted supervisa.' });
    expect((await readDrill('figure=pending&scope=all')).debtors.every((debtor) => debtor.agentId === ana.id)).toBe(true);
    expect((await readDrill(`figure=pending&scope=agent:${julian.id}`, tokens.admin)).debtors.map((debtor) => debtor.debtorId)).toEqual([DEBTORS[3]]);
    expect((await get('/api/board/drill?figure=todo', tokens.lider!)).status).toBe(400);
    expect((await get('/api/board/drill?figure=pending&scope=equipo', tokens.lider!)).status).toBe(400);
  });

  it("sends the board hint to the agent's team lead, not to another team's", async () => {
    const julianSocket = await connectWorkstation(server.url, { token: tokens.agente2, workstationId: 'ws-agente2' });
    try {
      await vi.waitFor(() => expect(leadHints.length).toBeGreaterThan(0), WAIT);
      await new Promise((resolve) => setTimeout(resolve, 300));
      leadHints.length = 0;
      expect(await julianSocket.emitWithAck(SOCKET_EVENTS.reportState, { agentState: 'paused', agentStateSince: '2026-12-07T14:00:00-05:00', pauseReason: 'Almuerzo' })).toEqual({ ok: true });
      expect(await anaSocket.emitWithAck(SOCKET_EVENTS.reportState, { agentState: 'wrap-up', agentStateSince: '2026-12-07T14:30:00-05:00' })).toEqual({ ok: true });
      await vi.waitFor(() => expect(leadHints.flatMap((hint) => hint.agentIds)).toContain(ana.id), WAIT);
      expect(leadHints.flatMap((hint) => hint.agentIds)).not.toContain(julian.id);
      expect((await readBoard()).agents[0]).toMatchObject({ state: 'wrap-up', stateSince: '2026-12-07T14:30:00-05:00' });
    } finally {
      julianSocket.close();
    }
  });

  it("sends the board hint to a team lead when their own workstation reports its backlog", async () => {
    const leadId = (await server.store.findUserByUsername('lider'))!.id;
    expect((await readBoard()).workstations.map((row) => row.workstationId)).toContain('ws-lider');
    await new Promise((resolve) => setTimeout(resolve, 300));
    leadHints.length = 0;
    expect(await leadSocket.emitWithAck(SOCKET_EVENTS.reportState, { pending: 7, oldestPendingAt: '2026-12-07T14:50:00-05:00', clockTrusted: true })).toEqual({ ok: true });
    // No agent changed: only the lead's own room may carry this hint.
    await vi.waitFor(() => expect(leadHints.flatMap((hint) => hint.agentIds)).toContain(leadId), WAIT);
    expect((await readBoard()).workstations.find((row) => row.workstationId === 'ws-lider')).toMatchObject({ pending: 7, oldestPendingAt: '2026-12-07T14:50:00-05:00' });
  });

  it('opens the promises due today behind their figure, within the lead\'s teams', async () => {
    // Julián (Equipo Sur) takes a promise due today; the lead of Equipo Norte must not see it.
    const julianSocket = await connectWorkstation(server.url, { token: tokens.agente2, workstationId: 'ws-agente2' });
    try {
      const target = (seq: number): EventTarget => ({
        agentId: julian.id,
        workstationId: 'ws-agente2',
        debtorId: DEBTORS[3],
        personId: DEBTORS[3],
        contactPointId: `${DEBTORS[3]}/celular`,
        seq,
        at: '2026-12-07T11:00:00-05:00',
      });
      const dial = decisionEvent(target(1));
      const promise = typifiedAfter(dial, interactionEvent(target(2), { code: 'PP', kind: 'two-way' }), 60, { amount: 5_000_000, date: '2026-12-07' });
      // The server reads the promise's effects from the catalog version the desk typified under.
      const { catalog } = await server.store.currentContent();
      if (promise.type === 'interaction.recorded' && catalog) promise.payload.catalogVersion = catalog.version;
      const ack = pushAckSchema.parse(await julianSocket.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [dial, promise] }));
      expect(ack.ok && ack.results.map((result) => result.status)).toEqual(['stored', 'stored']);
    } finally {
      julianSocket.close();
    }

    const due = await readDrill('figure=promises-due&scope=all', tokens.admin);
    expect(due.title).toBe('Cuotas de promesas que vencen hoy');
    expect(due.agents).toEqual([{ agentId: julian.id, fullName: 'Julián Muñoz Báez', value: 1 }]);
    expect(due.debtors.map((debtor) => [debtor.debtorId, debtor.agentName])).toEqual([[DEBTORS[3], 'Julián Muñoz Báez']]);
    expect(due.debtors[0]!.detail).toMatch(/^PP · vence hoy · \$\s?50\.000$/);
    const { figures } = await readBoard(tokens.admin);
    expect(figures.total).toMatchObject({ promisesDue: 1, promisesDueCents: 5_000_000 });
    // The queue of the debtor's segment carries it too, and the drill-down opens it there.
    const queue = figures.queues.find((entry) => entry.promisesDue > 0)!;
    expect(queue).toMatchObject({ promisesDue: 1, promisesDueCents: 5_000_000 });
    expect(figures.queues.reduce((sum, entry) => sum + entry.promisesDue, 0)).toBe(1);
    expect((await readDrill(`figure=promises-due&scope=queue:${queue.key}`, tokens.admin)).debtors.map((debtor) => debtor.debtorId)).toEqual([DEBTORS[3]]);

    expect((await readDrill('figure=promises-due&scope=all')).debtors).toEqual([]);
    expect((await readDrill('figure=promises-broken&scope=all', tokens.admin)).debtors).toEqual([]);
  });
});

import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardSchema, type Board, type BoardAgent } from '@gestiona/core/board';
import { pushAckSchema, SOCKET_EVENTS, type SyncEvent, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import { BOARD_FORBIDDEN_MESSAGE } from './board-route.ts';

// Monday 7 Dec 2026, 15:00 in Bogotá.
const NOW = new Date('2026-12-07T15:00:00-05:00');
const LEASED_AT = new Date('2026-12-04T08:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTORS = ['CC-72000001', 'CC-72000002', 'CC-72000003'] as const;

describe.each(BACKEND_NAMES)('board API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let ana: User;
  let julian: User;
  let socket: Socket;
  const tokens: Record<string, string> = {};

  const getBoard = (token?: string) => fetch(`${server.url}/api/board`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  const readBoard = async (): Promise<Board> => {
    const response = await getBoard(tokens.supervisor1);
    expect(response.status).toBe(200);
    return boardSchema.parse(await response.json());
  };

  const agentRow = (board: Board, agentId: string): BoardAgent => {
    const row = board.agents.find((agent) => agent.agentId === agentId);
    if (!row) throw new Error(`agent ${agentId} missing from the board`);
    return row;
  };

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    ana = await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    julian = await server.store.createUser({ username: 'agente2', fullName: 'Julián Muñoz Báez', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    await server.store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });

    const rows = DEBTORS.map((debtorId, index) => portfolioRow({ numero_documento: debtorId.slice(3), numero_obligacion: `TC-90${index}` }));
    await server.store.importPortfolio({ fileName: 'tablero.csv', bytes: utf8(portfolioCsv(rows)), now: LEASED_AT });
    await server.store.grantLease(DEBTORS[0], ana.id, LEASED_AT);
    await server.store.grantLease(DEBTORS[1], ana.id, LEASED_AT);
    await server.store.grantLease(DEBTORS[2], julian.id, LEASED_AT);

    for (const username of ['agente1', 'supervisor1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
    socket = await connectWorkstation(server.url, { token: tokens.agente1, workstationId: 'ws-agente1' });

    const target = (debtorId: string, seq: number, at: string): EventTarget => ({
      agentId: ana.id,
      workstationId: 'ws-agente1',
      debtorId,
      personId: debtorId,
      contactPointId: `${debtorId}/celular`,
      seq,
      at,
    });
    const blocked = decisionEvent(target(DEBTORS[0], 6, '2026-12-07T11:00:00-05:00'));
    if (blocked.type !== 'decision.recorded') throw new Error('expected a decision');
    blocked.payload.decision = { ...blocked.payload.decision, allowed: false, rules: ['R5'], reasons: [{ rule: 'R5', message: 'Ya fue contactado hoy.' }] };

    const events: SyncEvent[] = [
      // Friday: stored, but not part of today's counts.
      interactionEvent(target(DEBTORS[0], 1, '2026-12-04T10:00:00-05:00')),
      decisionEvent(target(DEBTORS[0], 2, '2026-12-07T09:00:00-05:00')),
      interactionEvent(target(DEBTORS[0], 3, '2026-12-07T09:00:00-05:00')),
      decisionEvent(target(DEBTORS[1], 4, '2026-12-07T10:00:00-05:00')),
      withFields(interactionEvent(target(DEBTORS[1], 5, '2026-12-07T10:00:00-05:00'), { code: 'PP', kind: 'two-way' }), {
        amount: 15_000_000,
        date: '2026-12-10',
      }),
      blocked,
      // The dial of the wrap-up still pending on the workstation.
      decisionEvent(target(DEBTORS[1], 7, '2026-12-07T12:00:00-05:00')),
    ];
    const ack = pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events }));
    expect(ack.ok && ack.results.map((result) => result.status)).toEqual(events.map(() => 'stored'));

    const report = {
      agentId: ana.id,
      agentState: 'wrap-up',
      pending: 2,
      oldestPendingAt: '2026-12-07T12:00:00-05:00',
      lastSyncAt: '2026-12-07T14:59:00-05:00',
      clockTrusted: true,
    };
    expect(await socket.emitWithAck(SOCKET_EVENTS.reportState, report)).toEqual({ ok: true });
  });

  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('counts an agent today', async () => {
    const row = agentRow(await readBoard(), ana.id);
    expect(row.fullName).toBe('Ana María Peña');
    expect(row.leasedDebtors).toBe(2);
    expect(row.interactions).toBe(2);
    expect(row.debtorsWorked).toBe(2);
    expect(row.rightPartyContacts).toBe(1);
    expect(row.promises).toBe(1);
    expect(row.promisedCents).toBe(15_000_000);
    expect(row.decisions).toBe(4);
    expect(row.blockedDecisions).toBe(1);
  });

  it('shows a wrap-up since its dial', async () => {
    const row = agentRow(await readBoard(), ana.id);
    expect(row.state).toBe('wrap-up');
    expect(row.stateSince).toBe('2026-12-07T12:00:00-05:00');
    expect(row.workstationId).toBe('ws-agente1');
  });

  it('shows a never connected agent offline', async () => {
    const row = agentRow(await readBoard(), julian.id);
    expect(row).toMatchObject({ state: 'offline', stateSince: null, workstationId: null, leasedDebtors: 1, interactions: 0, promisedCents: 0 });
  });

  it('lists only active agents, by name', async () => {
    const board = await readBoard();
    expect(board.agents.map((agent) => agent.username)).toEqual(['agente1', 'agente2']);
    expect(board.date).toBe('2026-12-07');
    expect(board.generatedAt).toBe('2026-12-07T15:00:00-05:00');
  });

  it('reports the workstation health', async () => {
    const workstation = (await readBoard()).workstations.find((row) => row.workstationId === 'ws-agente1');
    expect(workstation).toEqual({
      workstationId: 'ws-agente1',
      userId: ana.id,
      userName: 'Ana María Peña',
      online: true,
      pending: 2,
      oldestPendingAt: '2026-12-07T12:00:00-05:00',
      lastSyncAt: '2026-12-07T14:59:00-05:00',
      lastSeenAt: '2026-12-07T15:00:00-05:00',
      clockTrusted: true,
    });
  });

  it('counts blocked decisions by rule', async () => {
    const { compliance } = await readBoard();
    expect(compliance).toEqual({ decisions: 4, blockedDecisions: 1, blockedByRule: [{ rule: 'R5', count: 1 }] });
  });

  it('serves an administrator', async () => {
    const response = await getBoard(tokens.admin);
    expect(response.status).toBe(200);
  });

  it.each([
    ['an agent', 'agente1', 403],
    ['no token', undefined, 401],
    ['an unknown token', 'x'.repeat(43), 401],
  ] as const)('refuses %s', async (_case, username, status) => {
    const response = await getBoard(username === undefined ? undefined : (tokens[username] ?? username));
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string };
    if (status === 403) expect(body.error).toBe(BOARD_FORBIDDEN_MESSAGE);
    else expect(body.error).toMatch(/sesión/);
  });

  it('shows the agent offline after disconnecting', async () => {
    socket.close();
    await expect.poll(async () => agentRow(await readBoard(), ana.id).state).toBe('offline');
    const board = await readBoard();
    expect(agentRow(board, ana.id).stateSince).toBe('2026-12-07T15:00:00-05:00');
    expect(board.workstations.find((row) => row.workstationId === 'ws-agente1')?.online).toBe(false);
  });
});

function withFields(event: SyncEvent, fields: Record<string, string | number>): SyncEvent {
  if (event.type !== 'interaction.recorded') throw new Error('expected an interaction');
  return { ...event, payload: { ...event.payload, fields } };
}

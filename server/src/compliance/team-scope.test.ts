import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedEntrySchema, pushAckSchema, SOCKET_EVENTS, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const LEASED_AT = new Date('2026-12-04T08:00:00-05:00');
const PASSWORD = 'clave-segura-1';
/** Leased to agente1 (Norte). */
const NORTH_DEBTOR = 'CC-72000001';
/** Leased to agente2 (Sur). */
const SOUTH_DEBTOR = 'CC-72000002';
/** Leased to agente1, then reassigned to agente2: both teams worked it. */
const SHARED_DEBTOR = 'CC-72000003';
const UNKNOWN_DEBTOR = 'CC-72999999';

type Username = 'agente1' | 'agente2' | 'lider.norte' | 'lider.sur' | 'admin';

describe.each(BACKEND_NAMES)('team scope of the supervisor routes on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  const users = {} as Record<Username, User>;
  const tokens = {} as Record<Username, string>;
  const sockets = {} as Record<Username, Socket>;
  const alarmIds = { north: 0, south: 0 };
  const hints = { 'lider.norte': 0, 'lider.sur': 0, admin: 0 };

  const request = (path: string, username: Username, method: 'GET' | 'POST' = 'GET') =>
    fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${tokens[username]}` } });

  /** Pushes a Sunday call of the agent, which the server's re-evaluation turns into a violation alarm. */
  async function pushSundayCall(username: 'agente1' | 'agente2', debtorId: string, seq: number): Promise<void> {
    const target = { agentId: users[username].id, workstationId: `ws-${username}`, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq, at: '2026-12-06T10:00:00-05:00' };
    const ack = pushAckSchema.parse(await sockets[username].emitWithAck(SOCKET_EVENTS.pushEvents, { events: [interactionEvent(target)] }));
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.results[0]?.status).toBe('stored');
  }

  /** Pushes an allowed gate decision of today, which the board counts in its compliance figures. */
  async function pushMondayDecision(username: 'agente1' | 'agente2', debtorId: string, seq: number): Promise<void> {
    const target = { agentId: users[username].id, workstationId: `ws-${username}`, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq, at: '2026-12-07T08:30:00-05:00' };
    const ack = pushAckSchema.parse(await sockets[username].emitWithAck(SOCKET_EVENTS.pushEvents, { events: [decisionEvent(target)] }));
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.results[0]?.status).toBe('stored');
  }

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    const { store } = server;
    await store.createTeam('Norte', NOW);
    await store.createTeam('Sur', NOW);
    users.agente1 = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD, team: 'Norte' });
    users.agente2 = await store.createUser({ username: 'agente2', fullName: 'Julián Muñoz Báez', role: 'agent', password: PASSWORD, team: 'Sur' });
    users['lider.norte'] = await store.createUser({ username: 'lider.norte', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD, team: 'Norte' });
    users['lider.sur'] = await store.createUser({ username: 'lider.sur', fullName: 'Diana Rojas', role: 'team-lead', password: PASSWORD, team: 'Sur' });
    users.admin = await store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });

    const rows = [NORTH_DEBTOR, SOUTH_DEBTOR, SHARED_DEBTOR].map((id) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `TC-${id.slice(3)}` }));
    await store.importPortfolio({ fileName: 'equipos.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
    await store.grantLease(NORTH_DEBTOR, users.agente1.id, LEASED_AT);
    await store.grantLease(SOUTH_DEBTOR, users.agente2.id, LEASED_AT);
    await store.grantLease(SHARED_DEBTOR, users.agente1.id, LEASED_AT);
    await store.reassignDebtor(SHARED_DEBTOR, users.agente2.id, LEASED_AT);

    for (const username of Object.keys(users) as Username[]) {
      tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
      sockets[username] = await connectWorkstation(server.url, { token: tokens[username], workstationId: `ws-${username}` });
    }
    for (const lead of ['lider.norte', 'lider.sur', 'admin'] as const) sockets[lead].on(SOCKET_EVENTS.alarmHint, () => (hints[lead] += 1));

    await pushSundayCall('agente1', NORTH_DEBTOR, 1);
    await pushSundayCall('agente2', SOUTH_DEBTOR, 1);
    await pushMondayDecision('agente1', NORTH_DEBTOR, 2);
    await pushMondayDecision('agente2', SOUTH_DEBTOR, 2);
    const alarms = await store.listAlarms({ limit: 10 });
    alarmIds.north = alarms.find((alarm) => alarm.agentId === users.agente1.id)!.id;
    alarmIds.south = alarms.find((alarm) => alarm.agentId === users.agente2.id)!.id;
  });

  afterAll(async () => {
    for (const socket of Object.values(sockets)) socket.close();
    await server.close();
  });

  it.each([
    { username: 'lider.norte', agents: ['agente1'], workstations: ['ws-agente1', 'ws-lider.norte'] },
    { username: 'lider.sur', agents: ['agente2'], workstations: ['ws-agente2', 'ws-lider.sur'] },
    { username: 'admin', agents: ['agente1', 'agente2'], workstations: ['ws-admin', 'ws-agente1', 'ws-agente2', 'ws-lider.norte', 'ws-lider.sur'] },
  ] as const)('board of $username lists $agents', async ({ username, agents, workstations }) => {
    const response = await request('/api/board', username);
    expect(response.status).toBe(200);
    const board = (await response.json()) as {
      agents: { username: string }[];
      workstations: { workstationId: string }[];
      alarms: { open: { agentId: string }[]; openTotal: number };
      compliance: { decisions: number };
    };
    expect(board.agents.map((agent) => agent.username)).toEqual(agents);
    expect(board.workstations.map((row) => row.workstationId).sort()).toEqual(workstations);
    const agentIds = agents.map((agent) => users[agent].id);
    expect(board.alarms.open.map((alarm) => alarm.agentId).sort()).toEqual([...agentIds].sort());
    expect(board.alarms.openTotal).toBe(agents.length);
    expect(board.compliance.decisions).toBe(agents.length);
  });

  it.each([
    { username: 'lider.norte', shown: 'Ana María Peña', hidden: 'Julián Muñoz Báez' },
    { username: 'lider.sur', shown: 'Julián Muñoz Báez', hidden: 'Ana María Peña' },
  ] as const)('board export of $username holds their team only', async ({ username, shown, hidden }) => {
    const response = await request('/api/board/export?format=csv', username);
    expect(response.status).toBe(200);
    const csv = await response.text();
    expect(csv).toContain(shown);
    expect(csv).not.toContain(hidden);
  });

  it.each([
    { username: 'lider.norte', owners: ['agente1'] },
    { username: 'lider.sur', owners: ['agente2'] },
    { username: 'admin', owners: ['agente1', 'agente2'] },
  ] as const)('alarm list of $username covers $owners', async ({ username, owners }) => {
    const response = await request('/api/alarms', username);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { alarms: { agentId: string }[] };
    expect(body.alarms.map((alarm) => alarm.agentId).sort()).toEqual(owners.map((owner) => users[owner].id).sort());
  });

  it('sends alarm hints to the leads of the team only', async () => {
    await expect.poll(() => hints.admin).toBe(2);
    await expect.poll(() => hints['lider.sur']).toBe(1);
    // A round trip on the Norte lead's socket arrives after any hint sent to it before.
    await sockets['lider.norte'].emitWithAck(SOCKET_EVENTS.clockPing, {});
    expect(hints['lider.norte']).toBe(1);
  });

  const evidenceCases: { username: Username; debtorId: string; status: number }[] = [
    { username: 'lider.norte', debtorId: NORTH_DEBTOR, status: 200 },
    { username: 'lider.norte', debtorId: SOUTH_DEBTOR, status: 404 },
    { username: 'lider.norte', debtorId: SHARED_DEBTOR, status: 200 },
    { username: 'lider.norte', debtorId: UNKNOWN_DEBTOR, status: 404 },
    { username: 'lider.sur', debtorId: NORTH_DEBTOR, status: 404 },
    { username: 'lider.sur', debtorId: SOUTH_DEBTOR, status: 200 },
    { username: 'lider.sur', debtorId: SHARED_DEBTOR, status: 200 },
    { username: 'admin', debtorId: NORTH_DEBTOR, status: 200 },
    { username: 'admin', debtorId: SOUTH_DEBTOR, status: 200 },
    { username: 'admin', debtorId: UNKNOWN_DEBTOR, status: 404 },
    { username: 'agente1', debtorId: NORTH_DEBTOR, status: 403 },
  ];

  it.each(evidenceCases)('evidence of $debtorId for $username is $status', async ({ username, debtorId, status }) => {
    const response = await request(`/api/debtors/${debtorId}/evidence`, username);
    expect(response.status).toBe(status);
    if (status === 404 && username !== 'admin') {
      expect(((await response.json()) as { error: string }).error).toBe(`El deudor ${debtorId} no existe o nunca estuvo asignado a un agente de sus equipos.`);
    }
  });

  it('answers another team\'s alarm like a missing one', async () => {
    const foreign = await request(`/api/alarms/${alarmIds.south}/ack`, 'lider.norte', 'POST');
    const missing = await request('/api/alarms/999999/ack', 'lider.norte', 'POST');
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(((await foreign.json()) as { error: string }).error).toBe(`No existe la alarma ${alarmIds.south} entre las de los agentes de sus equipos.`);
    expect(((await missing.json()) as { error: string }).error).toBe('No existe la alarma 999999 entre las de los agentes de sus equipos.');
    const [stored] = await server.store.listAlarms({ limit: 10, ledBy: users['lider.sur'].id });
    expect(stored?.acknowledgedAt).toBeNull();
  });

  it.each([
    { username: 'agente1', alarm: 'north', status: 403 },
    { username: 'lider.norte', alarm: 'north', status: 200 },
    { username: 'lider.sur', alarm: 'north', status: 404 },
    { username: 'lider.sur', alarm: 'south', status: 200 },
    { username: 'admin', alarm: 'south', status: 200 },
  ] as const)('acknowledging the $alarm alarm as $username is $status', async ({ username, alarm, status }) => {
    const response = await request(`/api/alarms/${alarmIds[alarm]}/ack`, username, 'POST');
    expect(response.status).toBe(status);
  });

  it.each(['/api/board', '/api/board/export?format=csv', '/api/alarms'])('refuses an agent on %s', async (path) => {
    const response = await request(path, 'agente1');
    expect(response.status).toBe(403);
  });

  it('feeds an agent the debtors leased to them only', async () => {
    const page = await sockets.agente1.emitWithAck(SOCKET_EVENTS.pullFeed, { after: 0, limit: 500 });
    const upserted = (page as { entries: unknown[] }).entries
      .map((entry) => feedEntrySchema.parse(entry))
      .flatMap((entry) => (entry.type === 'debtor.upsert' ? [entry.payload.id] : []));
    expect(upserted).toContain(NORTH_DEBTOR);
    expect(upserted).not.toContain(SOUTH_DEBTOR);
  });

  it('rejects an agent\'s event about another team\'s debtor', async () => {
    const target = { agentId: users.agente1.id, workstationId: 'ws-agente1', debtorId: SOUTH_DEBTOR, personId: SOUTH_DEBTOR, contactPointId: `${SOUTH_DEBTOR}/celular`, seq: 3, at: '2026-12-07T08:30:00-05:00' };
    const ack = pushAckSchema.parse(await sockets.agente1.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [interactionEvent(target)] }));
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.results[0]?.status).toBe('rejected');
    expect(ack.results[0]?.error).toContain('not leased');
  });
});

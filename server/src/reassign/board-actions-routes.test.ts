import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boardActionsSchema, debtorTimelineSchema, remotePauseResultSchema } from '@gestiona/core/board';
import { remotePauseRequestSchema, SOCKET_EVENTS, type RemotePauseAck, type RemotePauseRequest, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { createLogger } from '../logger.ts';
import { interactionEvent, decisionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer, tempDir } from '../fixtures/server.ts';
import { BOARD_ACTIONS_FORBIDDEN_MESSAGE } from './board-actions-routes.ts';
import { BOARD_VIEW_REASON } from './board-view.ts';

const PASSWORD = 'clave-segura-1';
const DEBTOR_NORTE = 'CC-40000001';
const DEBTOR_SUR = 'CC-40000002';

describe('board action routes', () => {
  const dir = tempDir();
  let server: RunningServer;
  let now = new Date('2026-12-01T09:00:00-05:00');
  const users: Record<string, User> = {};
  const tokens: Record<string, string> = {};
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await startTestServer({ dbPath: `${dir.path}/server.sqlite` }, { logger: createLogger({ level: 'silent' }), now: () => now, offlineAlertMinutes: 10 });
    const { store } = server;
    await store.createTeam('Equipo Norte', now);
    await store.createTeam('Equipo Sur', now);
    const people = [
      { username: 'agente1', role: 'agent', team: 'Equipo Norte' },
      { username: 'agente2', role: 'agent', team: 'Equipo Norte' },
      { username: 'agente3', role: 'agent', team: 'Equipo Sur' },
      { username: 'supervisor1', role: 'team-lead', team: 'Equipo Norte' },
    ] as const;
    for (const person of people) {
      users[person.username] = await store.createUser({ username: person.username, fullName: `Nombre ${person.username}`, role: person.role, password: PASSWORD, team: person.team }, now);
      tokens[person.username] = (await login(server.url, person.username, PASSWORD, `ws-${person.username}`)).token;
    }
    const rows = [DEBTOR_NORTE, DEBTOR_SUR].map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}` }));
    await store.importPortfolio({ fileName: 'acciones.csv', bytes: utf8(portfolioCsv(rows)), now });
    await store.grantLease(DEBTOR_NORTE, users.agente1!.id, now);
    await store.grantLease(DEBTOR_SUR, users.agente3!.id, now);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  async function call(method: 'GET' | 'POST', path: string, username: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[username]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  /** Connects a workstation socket of the user that replies to remote pauses with `reply`, recording what it received. */
  async function desk(username: string, reply: (request: RemotePauseRequest) => RemotePauseAck): Promise<RemotePauseRequest[]> {
    const received: RemotePauseRequest[] = [];
    const socket = await connectWorkstation(server.url, { token: tokens[username], workstationId: `ws-${username}` });
    sockets.push(socket);
    socket.on(SOCKET_EVENTS.remotePause, (payload: unknown, ack: (response: RemotePauseAck) => void) => {
      const request = remotePauseRequestSchema.parse(payload);
      received.push(request);
      ack(reply(request));
    });
    return received;
  }

  it('rejects an agent’s token', async () => {
    const response = await call('GET', '/api/board/actions', 'agente1');
    expect(response.status).toBe(403);
    expect(response.json.error).toBe(BOARD_ACTIONS_FORBIDDEN_MESSAGE);
  });

  it('pauses a connected agent with the lead’s name', async () => {
    const received = await desk('agente1', () => ({ ok: true, outcome: 'paused' }));
    const response = await call('POST', `/api/board/agents/${users.agente1!.id}/pause`, 'supervisor1', { reason: 'Reunión' });
    expect(response.status).toBe(200);
    expect(remotePauseResultSchema.parse(response.json)).toEqual({ agentId: users.agente1!.id, outcome: 'paused', message: 'Nombre agente1 quedó en pausa (Reunión).' });
    expect(received).toEqual([{ action: 'pause', agentId: users.agente1!.id, reason: 'Reunión', byName: 'Nombre supervisor1', requestedAt: '2026-12-01T09:00:00-05:00' }]);
  });

  it('says when the pause waits for the wrap-up', async () => {
    await desk('agente1', () => ({ ok: true, outcome: 'deferred' }));
    const response = await call('POST', `/api/board/agents/${users.agente1!.id}/pause`, 'supervisor1', { reason: 'Almuerzo' });
    expect(response.json.message).toBe('Nombre agente1 está en una llamada o cerrando una gestión: la pausa (Almuerzo) empieza cuando guarde la tipificación.');
  });

  it('rejects a pause of an offline agent', async () => {
    const response = await call('POST', `/api/board/agents/${users.agente2!.id}/pause`, 'supervisor1', { reason: 'Reunión' });
    expect(response.status).toBe(409);
    expect(response.json.error).toContain('no tiene la estación conectada');
  });

  it('rejects a pause outside the lead’s teams', async () => {
    await desk('agente3', () => ({ ok: true, outcome: 'paused' }));
    const response = await call('POST', `/api/board/agents/${users.agente3!.id}/pause`, 'supervisor1', { reason: 'Reunión' });
    expect(response.status).toBe(404);
    expect(response.json.error).toBe(`El agente ${users.agente3!.id} no existe o no pertenece a los equipos que usted supervisa.`);
  });

  it('rejects a pause reason off the list', async () => {
    const response = await call('POST', `/api/board/agents/${users.agente1!.id}/pause`, 'supervisor1', { reason: 'Siesta' });
    expect(response.status).toBe(400);
  });

  it('resumes an agent', async () => {
    const received = await desk('agente1', () => ({ ok: true, outcome: 'resumed' }));
    const response = await call('POST', `/api/board/agents/${users.agente1!.id}/resume`, 'supervisor1');
    expect(response.json).toMatchObject({ outcome: 'resumed', message: 'Nombre agente1 quedó disponible.' });
    expect(received.map((request) => [request.action, request.reason])).toEqual([['resume', null]]);
  });

  it('rejects a reassignment outside the lead’s teams with 404', async () => {
    const toOther = await call('POST', '/api/board/reassignments', 'supervisor1', { debtorIds: [DEBTOR_NORTE], toAgentId: users.agente3!.id });
    expect(toOther.status).toBe(404);
    expect(toOther.json.error).toContain('no pertenece a los equipos que usted supervisa');
    const ofOther = await call('POST', '/api/board/reassignments', 'supervisor1', { debtorIds: [DEBTOR_SUR], toAgentId: users.agente2!.id });
    expect(ofOther.status).toBe(404);
  });

  it('reassigns, lists and refuses a second request', async () => {
    await server.store.workstationConnected('ws-agente1', users.agente1!.id, now);
    const created = await call('POST', '/api/board/reassignments', 'supervisor1', { debtorIds: [DEBTOR_NORTE], toAgentId: users.agente2!.id });
    expect(created.status).toBe(201);
    const [reassignment] = created.json.reassignments as { state: string; pendingReason: string }[];
    expect(reassignment?.state).toBe('pending');
    expect(reassignment?.pendingReason).toContain('se espera a que la estación ws-agente1 libere al deudor');

    const again = await call('POST', '/api/board/reassignments', 'supervisor1', { debtorIds: [DEBTOR_NORTE], toAgentId: users.agente1!.id });
    expect(again.status).toBe(409);
    expect(again.json.error).toContain('ya está pendiente de reasignación a Nombre agente2');

    const actions = boardActionsSchema.parse((await call('GET', '/api/board/actions', 'supervisor1')).json);
    expect(actions.reassignments.map((row) => [row.debtorId, row.state])).toEqual([[DEBTOR_NORTE, 'pending']]);

    const debtors = await call('GET', `/api/board/debtors?agentId=${users.agente2!.id}`, 'supervisor1');
    expect(debtors.json.debtors).toEqual([expect.objectContaining({ debtorId: DEBTOR_NORTE, pendingReassignment: true })]);
  });

  it('shows a timeline and records the view', async () => {
    const target = { agentId: users.agente3!.id, workstationId: 'ws-agente3', debtorId: DEBTOR_SUR, personId: DEBTOR_SUR, contactPointId: `${DEBTOR_SUR}/celular`, at: '2026-12-01T09:30:00-05:00' };
    const decision = decisionEvent({ ...target, seq: 1 });
    const interaction = interactionEvent({ ...target, seq: 2 });
    if (decision.type !== 'decision.recorded' || interaction.type !== 'interaction.recorded') throw new Error('expected contact events');
    interaction.payload.decisionId = decision.payload.decisionId;
    for (const event of [decision, interaction]) {
      expect(await server.store.ingestEvent(event, { agentId: users.agente3!.id, workstationId: 'ws-agente3', receivedAt: now })).toEqual({ status: 'stored' });
    }

    const forbidden = await call('GET', `/api/board/debtors/${DEBTOR_SUR}/timeline`, 'supervisor1');
    expect(forbidden.status).toBe(404);

    const admin = await server.store.createUser({ username: 'admin', fullName: 'Administración', role: 'admin', password: PASSWORD }, now);
    tokens.admin = (await login(server.url, 'admin', PASSWORD, 'ws-admin')).token;
    const response = await call('GET', `/api/board/debtors/${DEBTOR_SUR}/timeline`, 'admin');
    expect(response.status).toBe(200);
    const timeline = debtorTimelineSchema.parse(response.json);
    expect(timeline.items.map((item) => [item.kind, item.title, item.agentName])).toEqual([
      ['lease', 'Asignado a Nombre agente3', 'Nombre agente3'],
      ['interaction', 'Gestión por llamada', 'Nombre agente3'],
    ]);
    expect(timeline.items[1]?.detail).toContain('control legal: permitido');

    const views = await server.store.findDebtorViews({ debtorId: DEBTOR_SUR });
    expect(views).toEqual([expect.objectContaining({ agentId: admin.id, workstationId: 'ws-admin', reason: BOARD_VIEW_REASON })]);
  });

  it.each([
    ['the displayed form', 'CC 40000002'],
    ['lower case', 'cc-40000002'],
    ['extra spaces', '  cc   40000002 '],
  ])('finds a timeline typed in %s', async (_name, typed) => {
    const response = await call('GET', `/api/board/debtors/${encodeURIComponent(typed)}/timeline`, 'admin');
    expect(response.status).toBe(200);
    expect(debtorTimelineSchema.parse(response.json).debtorId).toBe(DEBTOR_SUR);
  });

  it('alerts on a workstation offline past the threshold', async () => {
    await server.store.workstationConnected('ws-sucursal', users.agente2!.id, now);
    await server.store.workstationDisconnected('ws-sucursal', now);
    await server.store.workstationConnected('ws-supervision', users.supervisor1!.id, now);
    await server.store.workstationDisconnected('ws-supervision', now);
    const later = new Date(now.getTime() + 10 * 60_000);
    now = later;
    expect(boardActionsSchema.parse((await call('GET', '/api/board/actions', 'supervisor1')).json).offlineAlerts.map((alert) => alert.workstationId)).not.toContain('ws-sucursal');

    now = new Date(later.getTime() + 65 * 60_000);
    const actions = boardActionsSchema.parse((await call('GET', '/api/board/actions', 'supervisor1')).json);
    const alert = actions.offlineAlerts.find((row) => row.workstationId === 'ws-sucursal');
    expect(alert?.message).toBe('La estación ws-sucursal (Nombre agente2) lleva 1 h 15 min sin conexión con el servidor, desde el 01/12/2026 09:00.');
    expect(actions.offlineThresholdMinutes).toBe(10);

    // The administrator sees every agent's desk, and no alert for a team lead's own desk.
    const forAdmin = boardActionsSchema.parse((await call('GET', '/api/board/actions', 'admin')).json).offlineAlerts.map((row) => row.workstationId);
    expect(forAdmin).toContain('ws-sucursal');
    expect(forAdmin).not.toContain('ws-supervision');
  });
});

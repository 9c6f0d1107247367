import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkRecord, type ChainHead } from '@gestiona/core/evidence-chain';
import { pushAckSchema, SOCKET_EVENTS, type SyncEvent, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import { sha256Hex } from '../store/chain-check.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTOR = 'CC-71000001';

describe.each(BACKEND_NAMES)('alarms API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let agent: User;
  let socket: Socket;
  const tokens: Record<string, string> = {};

  const getAlarms = (query: string, token?: string) =>
    fetch(`${server.url}/api/alarms${query}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    agent = await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    await server.store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });
    await server.store.importPortfolio({ fileName: 'alarmas.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: DEBTOR.slice(3) })])), now: NOW });
    await server.store.grantLease(DEBTOR, agent.id, new Date('2026-12-04T08:00:00-05:00'));
    for (const username of ['agente1', 'supervisor1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
    socket = await connectWorkstation(server.url, { token: tokens.agente1, workstationId: 'ws-agente1' });
  });

  afterAll(async () => {
    socket.close();
    await server.close();
  });

  const base = { agentId: '', workstationId: 'ws-agente1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular` };

  it('checks a shuffled batch in seq order', async () => {
    let head: ChainHead | null = null;
    const events: SyncEvent[] = [];
    for (let seq = 1; seq <= 3; seq += 1) {
      const event = decisionEvent({ ...base, agentId: agent.id, seq, at: `2026-12-04T10:0${seq}:00-05:00` });
      if (event.type !== 'decision.recorded') throw new Error('expected a decision');
      const chain = linkRecord(event.payload, head, sha256Hex);
      head = { index: chain.index, hash: chain.hash };
      events.push({ ...event, payload: { ...event.payload, chain } });
    }
    const ack = pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [events[2], events[0], events[1]] }));
    expect(ack.ok && ack.results.map((result) => result.status)).toEqual(['stored', 'stored', 'stored']);
    expect(await server.store.listAlarms({ limit: 10 })).toEqual([]);
  });

  it('lists a violation for a team lead', async () => {
    const sunday = interactionEvent({ ...base, agentId: agent.id, seq: 4, at: '2026-12-06T10:00:00-05:00' });
    const ack = pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events: [sunday] }));
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.results[0]?.status).toBe('stored');

    const response = await getAlarms('?kind=violation', tokens.supervisor1);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { alarms: { kind: string; kindLabel: string; debtorId: string; eventId: string; createdAt: string; detail: { rules: string[] } }[] };
    expect(body.alarms).toHaveLength(1);
    expect(body.alarms[0]!.kind).toBe('violation');
    expect(body.alarms[0]!.kindLabel).toBe('Posible infracción de la Ley 2300');
    expect(body.alarms[0]!.debtorId).toBe(DEBTOR);
    expect(body.alarms[0]!.eventId).toBe(sunday.id);
    expect(body.alarms[0]!.detail.rules).toEqual(['R3']);
    expect(body.alarms[0]!.createdAt).toBe('2026-12-07T09:00:00-05:00');
  });

  it.each([
    ['an agent', 'agente1', 403],
    ['no token', undefined, 401],
    ['an unknown token', 'x'.repeat(43), 401],
  ] as const)('refuses %s', async (_case, username, status) => {
    const token = username === undefined ? undefined : (tokens[username] ?? username);
    const response = await getAlarms('', token);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(/sesión|supervisor/);
  });

  it.each([
    ['?kind=otra', 'kind'],
    ['?limit=0', 'limit'],
    ['?since=ayer', 'since'],
  ])('rejects the query %s', async (query, field) => {
    const response = await getAlarms(query, tokens.admin);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { field: string }).field).toBe(field);
  });

  it('acknowledges an alarm', async () => {
    const [alarm] = await server.store.listAlarms({ limit: 1 });
    const response = await fetch(`${server.url}/api/alarms/${alarm!.id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { alarm: { acknowledgedBy: string; acknowledgedAt: string } };
    expect(body.alarm.acknowledgedBy).toBe('admin');
    expect(body.alarm.acknowledgedAt).toBe('2026-12-07T09:00:00-05:00');

    const missing = await fetch(`${server.url}/api/alarms/999999/ack`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` } });
    expect(missing.status).toBe(404);
  });
});

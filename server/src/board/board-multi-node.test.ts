import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOARD_HINT_EVENT, boardSchema, remotePauseResultSchema } from '@gestiona/core/board';
import { remotePauseRequestSchema, SOCKET_EVENTS, type RemotePauseAck, type RemotePauseRequest, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import type { StoreLocation } from '../store/open-store.ts';
import type { BoardHintPayload } from './board-live.ts';

const REDIS_URL = process.env.GESTIONA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NOW = new Date('2026-12-07T15:00:00-05:00');
const PASSWORD = 'clave-segura-1';

describe('board hints across two server nodes', () => {
  const backend = useTestBackend('postgres');
  const keyPrefix = `gestiona-test-${randomBytes(6).toString('hex')}`;
  let location: StoreLocation;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  let agent: User;
  const sockets: Socket[] = [];

  const startNode = () => startTestServer(location, { redisUrl: REDIS_URL, redisKeyPrefix: keyPrefix, now: () => NOW });

  beforeAll(async () => {
    location = await backend.createDatabase();
    nodeA = await startNode();
    nodeB = await startNode();
    await nodeA.store.createTeam('Equipo Norte', NOW);
    agent = await nodeA.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD, team: 'Equipo Norte' }, NOW);
    await nodeA.store.createUser({ username: 'lider', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD, team: 'Equipo Norte' }, NOW);
    await nodeA.store.addTeamLead('lider', 'Equipo Norte');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await nodeA?.close();
    await nodeB?.close();
  });

  it("reaches a team lead on node A when the agent's workstation reports through node B", async () => {
    const lead = await login(nodeA.url, 'lider', PASSWORD, 'ws-lider');
    const leadSocket = await connectWorkstation(nodeA.url, { token: lead.token, workstationId: 'ws-lider' });
    sockets.push(leadSocket);
    const agentSession = await login(nodeB.url, 'agente1', PASSWORD, 'ws-agente1');
    const agentSocket = await connectWorkstation(nodeB.url, { token: agentSession.token, workstationId: 'ws-agente1' });
    sockets.push(agentSocket);

    // The hint of the connection itself may come first; wait for the one that names the pause.
    const paused = new Promise<BoardHintPayload>((resolve) => {
      leadSocket.on(BOARD_HINT_EVENT, (payload: BoardHintPayload) => {
        void fetch(`${nodeA.url}/api/board`, { headers: { authorization: `Bearer ${lead.token}` } })
          .then((response) => response.json())
          .then((body) => {
            if (boardSchema.parse(body).agents[0]?.state === 'paused') resolve(payload);
          });
      });
    });
    expect(await agentSocket.emitWithAck(SOCKET_EVENTS.reportState, { agentState: 'paused', agentStateSince: '2026-12-07T14:50:00-05:00', pauseReason: 'Almuerzo' })).toEqual({
      ok: true,
    });
    expect((await paused).agentIds).toContain(agent.id);
  });

  it('lets a team lead on node A pause and resume an agent whose workstation is connected to node B', async () => {
    // The workstation of the test above does not answer pauses; the server waits for every one of the agent's.
    for (const socket of sockets.splice(0)) socket.close();
    const lead = await login(nodeA.url, 'lider', PASSWORD, 'ws-lider-acciones');
    const agentSession = await login(nodeB.url, 'agente1', PASSWORD, 'ws-agente1-acciones');
    const agentSocket = await connectWorkstation(nodeB.url, { token: agentSession.token, workstationId: 'ws-agente1-acciones' });
    sockets.push(agentSocket);

    // The workstation's side of the contract: it checks the request and acknowledges what it did.
    const received: RemotePauseRequest[] = [];
    agentSocket.on(SOCKET_EVENTS.remotePause, (payload: unknown, ack: (response: RemotePauseAck) => void) => {
      const request = remotePauseRequestSchema.parse(payload);
      received.push(request);
      ack({ ok: true, outcome: request.action === 'pause' ? 'paused' : 'resumed' });
    });
    const act = async (action: 'pause' | 'resume', body: object | undefined): Promise<{ status: number; body: unknown }> => {
      const response = await fetch(`${nodeA.url}/api/board/agents/${agent.id}/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${lead.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };

    const paused = await act('pause', { reason: 'Capacitación' });
    expect(paused.status).toBe(200);
    expect(remotePauseResultSchema.parse(paused.body)).toEqual({ agentId: agent.id, outcome: 'paused', message: 'Ana María Peña quedó en pausa (Capacitación).' });
    expect(received).toEqual([{ action: 'pause', agentId: agent.id, reason: 'Capacitación', byName: 'Luz Dary Ospina', requestedAt: '2026-12-07T15:00:00-05:00' }]);

    const resumed = await act('resume', undefined);
    expect(resumed.status).toBe(200);
    expect(remotePauseResultSchema.parse(resumed.body).outcome).toBe('resumed');
    expect(received.map((request) => request.action)).toEqual(['pause', 'resume']);

    // Once the workstation leaves node B, node A finds no socket of the agent on either node.
    for (const socket of sockets) socket.close();
    await vi.waitFor(async () => expect((await act('pause', { reason: 'Almuerzo' })).status).toBe(409), { timeout: 5_000, interval: 50 });
    expect(received).toHaveLength(2);
  });
});

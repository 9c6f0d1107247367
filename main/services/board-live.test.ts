import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boardDrillSchema, boardSchema, boardTrendsSchema, type Board } from '@gestiona/core/board';
import type { PushMessage } from '@gestiona/core/ipc';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import type { RunningServer } from '../../server/src/app.ts';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import { connectWorkstation, login } from '../../server/src/fixtures/server.ts';
import { TrustedClock } from '../clock.ts';
import { manualTime } from '../test-support/manual-time.ts';
import { SERVER_NOW, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { BOARD_FORBIDDEN_MESSAGE } from './board.ts';

const WAIT = { timeout: 10_000, interval: 20 };
const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;

describe('live board in the team lead\'s main process', () => {
  let root: string;
  let server: RunningServer;
  const opened: OpenedWorkstation[] = [];

  beforeEach(async () => {
    root = makeTempDir('gestiona-board-live-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir, { now: () => SERVER_NOW });
  });

  afterEach(async () => {
    for (const ws of opened.splice(0)) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  async function signedIn(username: string): Promise<OpenedWorkstation> {
    const dataDir = path.join(root, `ws-${opened.length}`);
    mkdirSync(dataDir, { recursive: true });
    const ws = await openWorkstation(dataDir, { clock: new TrustedClock({ sources: manualTime(SERVER_NOW.getTime()) }), serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    opened.push(ws);
    const user = demoUser(username);
    const result = await ws.call('auth:login', { username: user.username, password: user.password });
    if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.message}`);
    return ws;
  }

  async function readBoard(ws: OpenedWorkstation): Promise<Board> {
    const result = await ws.call('board:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return boardSchema.parse(result.value);
  }

  it("pushes an agent's state change to the lead's workstation, with no poll in between", async () => {
    const lead = await signedIn('supervisor2');
    await vi.waitFor(() => expect(lead.workstation.sync.status().connection).toBe('online'), WAIT);
    const agent = demoUser('agente3');
    const { token } = await login(server.url, agent.username, agent.password, 'ws-agente3');
    const socket = await connectWorkstation(server.url, { token, workstationId: 'ws-agente3' });
    try {
      const before = (await readBoard(lead)).agents.find((row) => row.username === 'agente3');
      expect(before?.state).toBe('available');
      // Let the hint of the agent's connection go first (hints are coalesced over 250 ms).
      await new Promise((resolve) => setTimeout(resolve, 400));

      const pushes: PushMessage[] = [];
      const stop = lead.workstation.onPush((message) => pushes.push(message));
      expect(await socket.emitWithAck(SOCKET_EVENTS.reportState, { agentState: 'paused', agentStateSince: '2026-03-03T08:55:00-05:00', pauseReason: 'Almuerzo' })).toEqual({
        ok: true,
      });
      // Nothing reads the board until the push arrives: main hears it from the server's socket.
      await vi.waitFor(() => expect(pushes).toContainEqual({ type: 'board-changed' }), WAIT);
      stop();
      const after = (await readBoard(lead)).agents.find((row) => row.username === 'agente3');
      expect(after).toMatchObject({ state: 'paused', pauseReason: 'Almuerzo', stateSince: '2026-03-03T08:55:00-05:00' });
    } finally {
      socket.close();
    }
  });

  it("pushes the lead's own workstation report to the lead's board", async () => {
    const lead = await signedIn('supervisor2');
    await vi.waitFor(() => expect(lead.workstation.sync.status().connection).toBe('online'), WAIT);
    // Let the hint of the lead's own connection go first (hints are coalesced over 250 ms).
    await new Promise((resolve) => setTimeout(resolve, 400));

    const pushes: PushMessage[] = [];
    const stop = lead.workstation.onPush((message) => pushes.push(message));
    try {
      // Sends the state report that a change of the outbox backlog also sends; no agent changes anything meanwhile.
      await lead.workstation.sync.flushNow();
      await vi.waitFor(() => expect(pushes).toContainEqual({ type: 'board-changed' }), WAIT);
    } finally {
      stop();
    }
    const own = (await readBoard(lead)).workstations.filter((row) => row.online && row.pending !== null);
    expect(own.map((row) => row.pending)).toEqual([0]);
  });

  it('reads trends and drill-downs for a team lead and refuses them to an agent', async () => {
    const lead = await signedIn('supervisor1');
    const trends = await lead.call('board:trends', { range: '30d' });
    expect(trends.ok && boardTrendsSchema.parse(trends.value).points).toHaveLength(30);
    const drill = await lead.call('board:drill', { figure: 'pending', scope: 'all' });
    expect(drill.ok).toBe(true);
    if (drill.ok) expect(boardDrillSchema.parse(drill.value).title).toBe('Deudores pendientes');

    const outside = await (await signedIn('supervisor2')).call('board:drill', { figure: 'pending', scope: `agent:${(await readBoard(lead)).agents.find((row) => row.username === 'agente1')!.agentId}` });
    expect(outside).toEqual({ ok: false, error: { code: 'not-found', message: 'Ese equipo o agente no está en los equipos que usted supervisa.' } });

    const agent = await signedIn('agente1');
    expect(await agent.call('board:trends', { range: 'today' })).toEqual({ ok: false, error: { code: 'forbidden', message: BOARD_FORBIDDEN_MESSAGE } });
  });
});

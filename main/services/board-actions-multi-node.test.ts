/**
 * A team lead's remote pause across two server nodes on one PostgreSQL and one Redis: the lead's
 * workstation is connected to node A, the agent's to node B. The agent's desk must apply the
 * pause, acknowledge it to the lead, and its next state report must reach the lead's board.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agentStatusSchema, type AgentStatus } from '@gestiona/core/agent-state';
import { boardSchema, remotePauseResultSchema, type Board, type RemotePauseResult } from '@gestiona/core/board';
import type { RunningServer } from '../../server/src/app.ts';
import { DEMO_USERS, seedDemo } from '../../server/src/demo-seed.ts';
import { useTestBackend } from '../../server/src/fixtures/backends.ts';
import { startTestServer } from '../../server/src/fixtures/server.ts';
import type { StoreLocation } from '../../server/src/store/open-store.ts';
import { SettableClock } from '../clock.ts';
import { SERVER_NOW, writePortfolio } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';

const REDIS_URL = process.env.GESTIONA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WAIT = { timeout: 10_000, interval: 50 };
const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;

describe('remote pause across two server nodes', () => {
  const backend = useTestBackend('postgres');
  const keyPrefix = `gestiona-test-${randomBytes(6).toString('hex')}`;
  let root: string;
  let location: StoreLocation;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  const opened: OpenedWorkstation[] = [];
  let agent: OpenedWorkstation;
  let lead: OpenedWorkstation;
  let agentId: string;

  const startNode = () =>
    startTestServer(location, {
      redisUrl: REDIS_URL,
      redisKeyPrefix: keyPrefix,
      now: () => SERVER_NOW,
      logger: pino({ level: process.env.GESTIONA_LOG_LEVEL ?? 'silent' }),
    });

  async function signedIn(username: string, node: RunningServer): Promise<OpenedWorkstation> {
    const dataDir = path.join(root, `ws-${username}`);
    mkdirSync(dataDir);
    const ws = await openWorkstation(dataDir, { clock: new SettableClock('2026-03-03T09:00:00-05:00'), serverUrl: node.url, secretStore: new MemorySecretStore(null) });
    opened.push(ws);
    const user = demoUser(username);
    const result = await ws.call('auth:login', { username: user.username, password: user.password });
    if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.message}`);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('online'), WAIT);
    await ws.workstation.sync.flushNow();
    return ws;
  }

  async function statusOf(ws: OpenedWorkstation): Promise<AgentStatus> {
    const result = await ws.call('agent:status', {});
    if (!result.ok) throw new Error(result.error.message);
    return agentStatusSchema.parse(result.value);
  }

  async function boardRowOfAgent(): Promise<Board['agents'][number] | undefined> {
    const result = await lead.call('board:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return boardSchema.parse(result.value).agents.find((row) => row.agentId === agentId);
  }

  async function remote(action: 'board:pause-agent' | 'board:resume-agent'): Promise<RemotePauseResult> {
    const args = action === 'board:pause-agent' ? { agentId, reason: 'Capacitación' } : { agentId };
    const result = await lead.call(action, args);
    if (!result.ok) throw new Error(`${action} failed: ${result.error.message}`);
    return remotePauseResultSchema.parse(result.value);
  }

  beforeAll(async () => {
    root = makeTempDir('gestiona-board-nodes-');
    location = await backend.createDatabase();
    nodeA = await startNode();
    nodeB = await startNode();
    await seedDemo(nodeA.store, { portfolioFile: writePortfolio(root), now: SERVER_NOW });
    agentId = (await nodeA.store.findUserByUsername('agente1'))!.id;
    agent = await signedIn('agente1', nodeB);
    lead = await signedIn('supervisor1', nodeA);
  });

  afterAll(async () => {
    for (const ws of opened) await ws.workstation.close();
    await nodeA?.close();
    await nodeB?.close();
    removeDir(root);
  });

  it('pauses on node B and shows the pause on node A', async () => {
    await vi.waitFor(async () => expect((await boardRowOfAgent())?.state).toBe('available'), WAIT);

    const result = await remote('board:pause-agent');
    expect(result).toMatchObject({ agentId, outcome: 'paused' });

    const status = await statusOf(agent);
    expect(status).toMatchObject({ state: 'paused', pauseReason: 'Capacitación', pausedBy: demoUser('supervisor1').fullName });
    // The agent's workstation reports the pause through node B; node A reads it from the shared store.
    await vi.waitFor(async () => expect(await boardRowOfAgent()).toMatchObject({ state: 'paused', pauseReason: 'Capacitación' }), WAIT);
  });

  it('resumes on node B and shows the agent available on node A', async () => {
    const result = await remote('board:resume-agent');
    expect(result.outcome).toBe('resumed');
    expect((await statusOf(agent)).state).toBe('available');
    await vi.waitFor(async () => expect((await boardRowOfAgent())?.state).toBe('available'), WAIT);
  });

  it('rejects a pause once the agent closed the workstation on node B', async () => {
    await agent.workstation.close();
    opened.splice(opened.indexOf(agent), 1);
    await vi.waitFor(async () => {
      const result = await lead.call('board:pause-agent', { agentId, reason: 'Almuerzo' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toContain('no tiene la estación conectada al servidor');
    }, WAIT);
  });
});

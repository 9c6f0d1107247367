import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agentStatusSchema, type AgentStatus } from '@gestiona/core/agent-state';
import { boardActionsSchema, debtorTimelineSchema, remotePauseResultSchema, type RemotePauseResult } from '@gestiona/core/board';
import type { DialResult } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import { SettableClock } from '../clock.ts';
import { startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { BOARD_ACTIONS_FORBIDDEN_MESSAGE } from './board-actions.ts';

const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;
const WAIT = { timeout: 10_000, interval: 50 };

describe('team lead actions from the board', () => {
  let root: string;
  let server: RunningServer;
  const opened: OpenedWorkstation[] = [];
  let agent: OpenedWorkstation;
  let lead: OpenedWorkstation;
  let agentId: string;

  async function signedIn(username: string): Promise<OpenedWorkstation> {
    const dataDir = path.join(root, `ws-${opened.length}`);
    mkdirSync(dataDir);
    const ws = await openWorkstation(dataDir, { clock: new SettableClock('2026-03-03T09:00:00-05:00'), serverUrl: server.url, secretStore: new MemorySecretStore(null) });
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

  async function remote(action: 'board:pause-agent' | 'board:resume-agent'): Promise<RemotePauseResult> {
    const args = action === 'board:pause-agent' ? { agentId, reason: 'Reunión' } : { agentId };
    const result = await lead.call(action, args);
    if (!result.ok) throw new Error(`${action} failed: ${result.error.message}`);
    return remotePauseResultSchema.parse(result.value);
  }

  beforeAll(async () => {
    root = makeTempDir('gestiona-board-actions-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    agent = await signedIn('agente1');
    lead = await signedIn('supervisor1');
    agentId = (await server.store.findUserByUsername('agente1'))!.id;
  });

  afterAll(async () => {
    for (const ws of opened) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  it('rejects an agent’s board action', async () => {
    const result = await agent.call('board:actions', {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toEqual({ code: 'forbidden', message: BOARD_ACTIONS_FORBIDDEN_MESSAGE });
  });

  it('pauses an available agent and names the lead', async () => {
    const result = await remote('board:pause-agent');
    expect(result.outcome).toBe('paused');
    const status = await statusOf(agent);
    expect(status).toMatchObject({ state: 'paused', pauseReason: 'Reunión', pausedBy: demoUser('supervisor1').fullName });

    const list = await agent.call<{ items: Array<{ debtorId: string }> }>('worklist:list', { offset: 0, limit: 5 });
    if (!list.ok) throw new Error(list.error.message);
    const view = await agent.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId: list.value.items[0]!.debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await agent.call('contact:dial', { debtorId: list.value.items[0]!.debtorId, contactPointId: point.id, requestId: randomUUID() });
    expect(dialed.ok).toBe(false);

    expect((await remote('board:resume-agent')).outcome).toBe('resumed');
    expect((await statusOf(agent)).state).toBe('available');
    expect((await remote('board:resume-agent')).outcome).toBe('unchanged');
  });

  it('defers a pause until the typification is saved', async () => {
    const list = await agent.call<{ items: Array<{ debtorId: string }> }>('worklist:list', { offset: 0, limit: 5 });
    if (!list.ok) throw new Error(list.error.message);
    const debtorId = list.value.items[0]!.debtorId;
    const view = await agent.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await agent.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error('the call was not placed');

    const result = await remote('board:pause-agent');
    expect(result.outcome).toBe('deferred');
    expect(result.message).toContain('empieza cuando guarde la tipificación');
    const during = await statusOf(agent);
    expect(during.state).toBe('on-call');
    expect(during.pendingPause).toEqual({ reason: 'Reunión', byName: demoUser('supervisor1').fullName });

    const saved = await agent.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    expect(saved.ok).toBe(true);
    expect(await statusOf(agent)).toMatchObject({ state: 'paused', pauseReason: 'Reunión', pausedBy: demoUser('supervisor1').fullName });
    await remote('board:resume-agent');
  });

  it('reassigns and opens the debtor’s timeline', async () => {
    const debtors = await lead.call('board:debtors', { agentId });
    if (!debtors.ok) throw new Error(debtors.error.message);
    const [first] = debtors.value as Array<{ debtorId: string }>;
    const agente2 = (await server.store.findUserByUsername('agente2'))!.id;

    const reassigned = await lead.call('board:reassign', { debtorIds: [first!.debtorId], toAgentId: agente2 });
    if (!reassigned.ok) throw new Error(reassigned.error.message);
    const again = await lead.call('board:reassign', { debtorIds: [first!.debtorId], toAgentId: agente2 });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.code).toBe('conflict');

    const actions = await lead.call('board:actions', {});
    if (!actions.ok) throw new Error(actions.error.message);
    expect(boardActionsSchema.parse(actions.value).reassignments.map((row) => row.debtorId)).toContain(first!.debtorId);

    const timeline = await lead.call('board:debtor-timeline', { debtorId: first!.debtorId });
    if (!timeline.ok) throw new Error(timeline.error.message);
    expect(debtorTimelineSchema.parse(timeline.value).items.map((item) => item.kind)).toContain('reassignment');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './app.ts';
import { DEMO_USERS, seedDemo } from './demo-seed.ts';
import { BACKEND_NAMES, useTestBackend } from './fixtures/backends.ts';
import { login, startTestServer } from './fixtures/server.ts';
import { SAMPLE_PORTFOLIO_FILE } from './paths.ts';

const NOW = new Date('2026-12-04T08:00:00-05:00');

describe.each(BACKEND_NAMES)('seedDemo on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
  });
  afterAll(async () => {
    await server.close();
  });

  it('creates the demo users, imports the sample and leases every debtor, once', async () => {
    const first = await seedDemo(server.store, { portfolioFile: SAMPLE_PORTFOLIO_FILE, now: NOW });
    expect(first.users.map((user) => [user.username, user.role])).toEqual([
      ['agente1', 'agent'],
      ['agente2', 'agent'],
      ['agente3', 'agent'],
      ['supervisor1', 'team-lead'],
      ['supervisor2', 'team-lead'],
      ['admin', 'admin'],
    ]);
    const leases = await server.store.listActiveLeases(NOW);
    expect(leases).toHaveLength(2000);
    const perAgent = new Map<string, number>();
    for (const lease of leases) perAgent.set(lease.agentId, (perAgent.get(lease.agentId) ?? 0) + 1);
    expect([...perAgent.values()].sort()).toEqual([666, 667, 667]);

    const changes = await server.store.countChanges();
    const second = await seedDemo(server.store, { portfolioFile: SAMPLE_PORTFOLIO_FILE, now: NOW });
    expect(second.users).toEqual(first.users);
    expect(await server.store.listUsers()).toHaveLength(DEMO_USERS.length);
    expect(await server.store.listImports()).toHaveLength(1);
    expect(await server.store.countDebtors()).toBe(2000);
    expect(await server.store.countChanges()).toBe(changes);
  });

  it('puts the agents in two teams and supervisor1 at the head of both', async () => {
    const teams = (await server.store.listTeams()).filter((team) => team.name !== 'General');
    expect(teams.map(({ name, agents, leads }) => ({ name, agents, leads }))).toEqual([
      { name: 'Equipo Norte', agents: ['agente1', 'agente2'], leads: ['supervisor1'] },
      { name: 'Equipo Sur', agents: ['agente3'], leads: ['supervisor1', 'supervisor2'] },
    ]);
  });

  it('shows each team lead the agents of their teams only', async () => {
    const boardAgents = async (username: string) => {
      const session = await login(server.url, username, `demo-${username}`, `ws-board-${username}`);
      const response = await fetch(`${server.url}/api/board`, { headers: { authorization: `Bearer ${session.token}` } });
      expect(response.status).toBe(200);
      const board = (await response.json()) as { agents: { username: string }[] };
      return board.agents.map((agent) => agent.username).sort();
    };
    expect(await boardAgents('supervisor1')).toEqual(['agente1', 'agente2', 'agente3']);
    expect(await boardAgents('supervisor2')).toEqual(['agente3']);
  });

  it('prints credentials that log in', async () => {
    for (const user of DEMO_USERS) {
      const session = await login(server.url, user.username, user.password, 'ws-demo');
      expect(session.user).toMatchObject({ username: user.username, role: user.role, fullName: user.fullName });
    }
  });
});

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

  it('prints credentials that log in', async () => {
    for (const user of DEMO_USERS) {
      const session = await login(server.url, user.username, user.password, 'ws-demo');
      expect(session.user).toMatchObject({ username: user.username, role: user.role, fullName: user.fullName });
    }
  });
});

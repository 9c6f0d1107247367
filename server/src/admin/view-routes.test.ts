import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import type { User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { login, startTestServer } from '../fixtures/server.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const VIEWED_AT = new Date('2026-12-04T08:30:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTOR_ID = 'CC-50000000';

describe.each(BACKEND_NAMES)('debtor views API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let agent: User;
  const tokens: Record<string, string> = {};

  const get = (path: string, token: string | null) =>
    fetch(`${server.url}/api/admin/debtors/${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    for (const [username, role] of [
      ['agente1', 'agent'],
      ['supervisor1', 'team-lead'],
      ['admin', 'admin'],
    ] as const) {
      const user = await server.store.createUser({ username, fullName: `Usuario ${username}`, role, password: PASSWORD });
      if (username === 'agente1') agent = user;
    }
    await server.store.importPortfolio({ fileName: 'api.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: DEBTOR_ID.slice(3) })])), now: NOW });
    await server.store.grantLease(DEBTOR_ID, agent.id, new Date('2026-12-04T08:00:00-05:00'));
    const iso = toBogotaIso(VIEWED_AT);
    const outcome = await server.store.ingestEvent(
      { id: randomUUID(), type: 'debtor.viewed', workstationId: 'ws-1', seq: 1, agentId: agent.id, occurredAt: iso, payload: { debtorId: DEBTOR_ID, viewedAt: iso, localAt: iso, clockOffsetMs: 0 } },
      { agentId: agent.id, workstationId: 'ws-1', receivedAt: NOW },
    );
    expect(outcome).toEqual({ status: 'stored' });
    for (const username of ['agente1', 'supervisor1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
  });

  afterAll(async () => {
    await server.close();
  });

  it('returns the views to an admin', async () => {
    const response = await get(`${DEBTOR_ID}/views`, tokens.admin!);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { debtorId: string; views: unknown[] };
    expect(body.debtorId).toBe(DEBTOR_ID);
    expect(body.views).toEqual([
      expect.objectContaining({ viewedAt: '2026-12-04T08:30:00-05:00', username: 'agente1', fullName: 'Usuario agente1', workstationId: 'ws-1', leased: true, reason: null }),
    ]);
  });

  it('finds a debtor typed as the screens show it', async () => {
    const response = await get(`${encodeURIComponent(' cc 50000000 ')}/views`, tokens.admin!);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { debtorId: string }).debtorId).toBe(DEBTOR_ID);
  });

  it('filters by since', async () => {
    const response = await get(`${DEBTOR_ID}/views?since=${encodeURIComponent('2026-12-04T08:31:00-05:00')}`, tokens.admin!);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { views: unknown[] }).views).toEqual([]);
  });

  it.each([
    { name: 'no token', user: null, status: 401 },
    { name: 'an agent', user: 'agente1', status: 403 },
    { name: 'a team lead', user: 'supervisor1', status: 403 },
  ])('refuses $name', async ({ user, status }) => {
    const response = await get(`${DEBTOR_ID}/views`, user === null ? null : tokens[user]!);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(status === 401 ? /sesión/i : /Solo un administrador puede consultar quién vio el expediente/);
  });

  it('answers 404 for an unknown debtor', async () => {
    const response = await get('CC-1/views', tokens.admin!);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toContain('El deudor "CC-1" no existe');
  });

  it('answers 400 for an invalid since', async () => {
    const response = await get(`${DEBTOR_ID}/views?since=ayer`, tokens.admin!);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain('since=dd/mm/aaaa');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '@gestiona/core/catalog';
import type { User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { login, startTestServer } from '../fixtures/server.ts';

const NOW = new Date('2026-12-07T15:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const DEBTOR = 'CC-1020304050';

describe.each(BACKEND_NAMES)('catalog and holds API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let agent: User;
  const tokens: Record<string, string> = {};

  const call = (method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    agent = await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    await server.store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });
    // A lead of another team, who must not see or lift this debtor's holds.
    await server.store.createUser({ username: 'supervisor2', fullName: 'Diana Rojas', role: 'team-lead', password: PASSWORD });
    await server.store.createTeam('Equipo Sur');
    await server.store.removeTeamLead('supervisor2', 'General').catch(() => undefined);
    await server.store.addTeamLead('supervisor2', 'Equipo Sur');
    await server.store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow()])), now: new Date('2026-12-07T08:00:00-05:00') });
    await server.store.grantLease(DEBTOR, agent.id, new Date('2026-12-07T08:00:00-05:00'));
    for (const username of ['agente1', 'supervisor1', 'supervisor2', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
  });

  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['GET', '/api/admin/catalog'],
    ['GET', '/api/admin/catalog/history'],
    ['POST', '/api/admin/catalog'],
  ] as const)('%s %s is for administrators only', async (method, path) => {
    expect((await call(method, path, undefined, method === 'POST' ? {} : undefined)).status).toBe(401);
    for (const username of ['agente1', 'supervisor1']) {
      const response = await call(method, path, tokens[username], method === 'POST' ? { catalog: {} } : undefined);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: 'Solo un administrador puede consultar o cambiar el catálogo de tipificación. Pida el cambio al administrador.' });
    }
  });

  it('POST statuses: 201, 200, 409, 400', async () => {
    const read = (await (await call('GET', '/api/admin/catalog', tokens.admin)).json()) as { current: { version: string; catalog: Catalog } };
    const factory = read.current.catalog;
    const next = { ...factory, version: '2026.8', codes: factory.codes.map((code) => (code.code === 'OC' ? { ...code, retired: true, shortcut: null } : code)) };

    const created = await call('POST', '/api/admin/catalog', tokens.admin, { catalog: next, reason: 'Retira Ocupado' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ published: true, previousVersion: factory.version, current: { version: '2026.8', reason: 'Retira Ocupado', publishedBy: { username: 'admin' } } });
    expect((await call('POST', '/api/admin/catalog', tokens.admin, { catalog: next })).status).toBe(200);

    const reused = await call('POST', '/api/admin/catalog', tokens.admin, { catalog: { ...next, codes: next.codes.map((code) => (code.code === 'NC' ? { ...code, label: 'Nadie contesta' } : code)) } });
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ fields: { version: 'ya usada con otro contenido' } });

    const broken = await call('POST', '/api/admin/catalog', tokens.admin, { catalog: { ...next, version: '2026.9', codes: next.codes.filter((code) => code.code !== 'RC') } });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: expect.stringContaining('Código RC ("Reclamación o disputa"): ya se publicó y no se puede borrar'), fields: { codes: expect.any(String) } });

    const history = (await (await call('GET', '/api/admin/catalog/history', tokens.admin)).json()) as { history: Array<{ version: string; source: string }> };
    expect(history.history.map((entry) => [entry.version, entry.source])).toEqual([
      ['2026.8', 'admin'],
      [factory.version, 'resources'],
    ]);
  });

  it('holds list and lift for team leads', async () => {
    const event = interactionEvent(
      { agentId: agent.id, workstationId: 'ws-agente1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq: 1, at: '2026-12-07T09:00:00-05:00' },
      { code: 'FA', kind: 'attempt' },
    );
    if (event.type !== 'interaction.recorded') throw new Error('expected an interaction');
    event.payload.complianceClass = 'third-party';
    expect(await server.store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-agente1', receivedAt: NOW })).toEqual({ status: 'stored' });

    expect((await call('GET', '/api/holds', tokens.agente1)).status).toBe(403);
    const listed = await call('GET', '/api/holds', tokens.supervisor1);
    expect(await listed.json()).toMatchObject({ holds: [{ debtorId: DEBTOR, kind: 'stopped', code: 'FA', since: '2026-12-07T09:00:00-05:00', liftedAt: null }] });

    // The other team's lead gets the same answers as for a debtor that does not exist.
    expect(await (await call('GET', '/api/holds', tokens.supervisor2)).json()).toEqual({ holds: [] });
    expect((await call('POST', `/api/holds/${DEBTOR}/lift`, tokens.supervisor2, { reason: 'No es de mi equipo' })).status).toBe(404);

    expect((await call('POST', `/api/holds/${DEBTOR}/lift`, tokens.supervisor1, {})).status).toBe(400);
    const lifted = await call('POST', `/api/holds/${DEBTOR}/lift`, tokens.supervisor1, { reason: 'Error de tipificación: el titular vive' });
    expect(lifted.status).toBe(200);
    expect(await lifted.json()).toMatchObject({ lifted: [{ kind: 'stopped', liftReason: 'Error de tipificación: el titular vive' }] });
    expect((await call('POST', `/api/holds/${DEBTOR}/lift`, tokens.supervisor1, { reason: 'otra vez' })).status).toBe(404);
  });
});

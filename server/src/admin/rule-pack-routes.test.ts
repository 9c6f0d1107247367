import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RulePack } from '@gestiona/core/compliance/types';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';

describe.each(BACKEND_NAMES)('rule pack API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let socket: Socket;
  let factory: RulePack;
  const tokens: Record<string, string> = {};

  const getPack = (token?: string) => fetch(`${server.url}/api/admin/rule-pack`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  /** Sends as the administrator unless another token, or null for none, is given. */
  const postPack = (body: unknown, token: string | null = tokens.admin!) =>
    fetch(`${server.url}/api/admin/rule-pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    await server.store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });
    for (const username of ['agente1', 'supervisor1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
    socket = await connectWorkstation(server.url, { token: tokens.agente1, workstationId: 'ws-agente1' });
    factory = (await server.store.listRulePacks(1))[0]!.pack;
  });

  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('returns the pack in force and its history', async () => {
    const response = await getPack(tokens.admin);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { current: { version: string; source: string; publishedAt: string; pack: RulePack }; history: unknown[] };
    expect(body.current).toMatchObject({ version: factory.version, source: 'resources', publishedBy: null, publishedAt: '2026-12-04T09:00:00-05:00', pack: factory });
    expect(body.history).toHaveLength(1);
  });

  it.each([
    { who: 'team lead', username: 'supervisor1' },
    { who: 'agent', username: 'agente1' },
  ])('forbids a $who', async ({ username }) => {
    for (const response of [await getPack(tokens[username]), await postPack({ pack: { ...factory, version: '2026.7' } }, tokens[username]!)]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: 'Solo un administrador puede consultar o cambiar el paquete de reglas. Pida el cambio al administrador de cumplimiento.' });
    }
  });

  it('asks for a session without a token', async () => {
    expect((await getPack()).status).toBe(401);
    expect((await postPack({ pack: factory }, null)).status).toBe(401);
  });

  it.each([
    { name: 'a missing pack', body: { reason: 'x' }, field: 'pack', error: /falta el campo "pack"/ },
    { name: 'a pack that is not an object', body: { pack: [1] }, field: 'pack', error: /"pack" debe ser un objeto JSON/ },
    { name: 'an unknown field', body: { pack: {}, motivo: 'x' }, field: 'motivo', error: /"motivo" no se reconoce/ },
    { name: 'a numeric reason', body: { pack: {}, reason: 5 }, field: 'reason', error: /"reason" debe ser un texto/ },
    { name: 'a body that is not an object', body: '[]', field: '(cuerpo)', error: /Solicitud inválida/ },
  ])('names the field of $name', async ({ body, field, error }) => {
    const response = await postPack(body);
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: string; field: string };
    expect(json.field).toBe(field);
    expect(json.error).toMatch(error);
  });

  it('names every invalid field of the pack', async () => {
    const response = await postPack({ pack: { ...factory, version: '', lastDialMarginMinutes: -1 } });
    expect(response.status).toBe(400);
    const json = (await response.json()) as { error: string; fields: Record<string, string> };
    expect(Object.keys(json.fields).sort()).toEqual(['lastDialMarginMinutes', 'version']);
    expect(json.error).toContain('lastDialMarginMinutes debe ser como mínimo 0 (valor recibido: -1)');
  });

  it('publishes, hints every socket and refuses the version again', async () => {
    const hinted = new Promise<void>((resolve) => socket.once(SOCKET_EVENTS.feedHint, () => resolve()));
    const pack = { ...factory, version: '2026.2', extraBlockedDates: ['2026-12-07'] };
    const response = await postPack({ pack, reason: 'Decreto de duelo nacional' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      published: true,
      previousVersion: factory.version,
      current: { version: '2026.2', source: 'admin', publishedBy: { username: 'admin', fullName: 'Admin Báez' }, reason: 'Decreto de duelo nacional' },
      changes: ['Fecha bloqueada añadida: lunes 07/12/2026'],
    });
    await hinted;

    const same = await postPack({ pack });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ published: false, changes: [] });

    const reused = await postPack({ pack: { ...pack, extraBlockedDates: ['2026-12-09'] } });
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { error: string }).error).toContain('La versión "2026.2" del paquete de reglas ya se publicó');

    const history = (await (await getPack(tokens.admin)).json()) as { history: { version: string }[] };
    expect(history.history.map((record) => record.version)).toEqual(['2026.2', factory.version]);
  });
});

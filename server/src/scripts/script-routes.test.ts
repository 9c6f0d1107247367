import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Script } from '@gestiona/core/script';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';

interface AdminScriptBody {
  script: Script;
  current: { version: string; source: string; publishedBy: { username: string } | null; publishedAt: string; reason: string | null };
  history: { version: string; source: string }[];
}

describe.each(BACKEND_NAMES)('scripts API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let socket: Socket;
  let factory: Script;
  const tokens: Record<string, string> = {};

  const get = (path: string, token: string | null = tokens.admin!) =>
    fetch(`${server.url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const post = (body: unknown, token: string | null = tokens.admin!) =>
    fetch(`${server.url}/api/admin/scripts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    await server.store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });
    for (const username of ['agente1', 'supervisor1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
    socket = await connectWorkstation(server.url, { token: tokens.agente1, workstationId: 'ws-agente1' });
    factory = (await server.store.listScripts()).find((record) => record.scriptId === 'guion-temprana')!.script;
  });

  afterAll(async () => {
    socket.close();
    await server.close();
  });

  it('lists the factory scripts with their history', async () => {
    const response = await get('/api/admin/scripts');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { scripts: AdminScriptBody[] };
    expect(body.scripts.map((entry) => entry.script.id)).toEqual(['guion-castigada', 'guion-media', 'guion-preventiva', 'guion-tardia', 'guion-temprana']);
    const temprana = body.scripts.find((entry) => entry.script.id === 'guion-temprana')!;
    expect(temprana.current).toEqual({ version: factory.version, source: 'resources', publishedBy: null, publishedAt: '2026-12-04T09:00:00-05:00', reason: null });
    expect(temprana.history).toHaveLength(1);
  });

  it.each(['supervisor1', 'agente1'])('forbids %s', async (username) => {
    for (const response of [await get('/api/admin/scripts', tokens[username]!), await get('/api/admin/scripts/guion-temprana/history', tokens[username]!), await post({ script: factory }, tokens[username]!)]) {
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: 'Solo un administrador puede consultar o publicar los guiones.' });
    }
  });

  it('asks for a session without a token', async () => {
    expect((await get('/api/admin/scripts', null)).status).toBe(401);
    expect((await post({ script: factory }, null)).status).toBe(401);
  });

  it('rejects a script with problems, naming each step and text, and stores nothing', async () => {
    const bad: Script = {
      ...factory,
      version: '2026.90',
      steps: factory.steps.map((step) => (step.id === 'saludo' ? { ...step, text: `${step.text} Su saldo es {{saldo_total}}. {{cuota}}` } : step)),
    };
    const response = await post({ script: bad });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; problems: { stepId: string; message: string }[]; fields: Record<string, string> };
    expect(body.problems).toEqual(
      expect.arrayContaining([
        { stepId: 'saludo', message: 'Paso "Saludo": variable desconocida {{cuota}}.' },
        { stepId: 'saludo', message: 'Paso "Saludo": {{saldo_total}} revela la deuda antes de verificar la identidad (R12).', rule: 'R12' },
      ]),
    );
    expect(body.fields.saludo).toContain('{{cuota}}');
    expect(body.error).toMatch(/^Guion inválido: .* No se publicó nada/);
    expect(await server.store.scriptHistory('guion-temprana')).toHaveLength(1);
  });

  it('names a schema problem by its step', async () => {
    const response = await post({ script: { ...factory, steps: factory.steps.map((step, index) => (index === 2 ? { ...step, kind: 'charla' } : step)) } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fields: Record<string, string> };
    expect(Object.keys(body.fields)).toEqual([factory.steps[2]!.id]);
  });

  it('publishes a new version: history, feed entry and a hint to the workstations', async () => {
    const hinted = new Promise<void>((resolve) => socket.once(SOCKET_EVENTS.feedHint, () => resolve()));
    const edited: Script = { ...factory, version: '2026.10', name: `${factory.name} (revisado)` };
    const response = await post({ script: edited, reason: 'Tono más cordial' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { published: boolean; script: AdminScriptBody };
    expect(body.published).toBe(true);
    expect(body.script.current).toMatchObject({ version: '2026.10', source: 'admin', publishedBy: { username: 'admin' }, reason: 'Tono más cordial' });
    expect(body.script.history.map((entry) => entry.version)).toEqual(['2026.10', factory.version]);
    await hinted;

    const feed = await server.store.pullFeed('agent-none', 0, 1000);
    const scriptEntries = feed.entries.filter((entry) => entry.type === 'script.set' && (entry.payload as Script).id === 'guion-temprana');
    expect(scriptEntries.at(-1)?.payload).toEqual(edited);

    const again = await post({ script: edited });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { published: boolean }).published).toBe(false);
  });

  it('refuses a version reused with other content (409)', async () => {
    const response = await post({ script: { ...factory, version: '2026.10', name: 'Otro contenido' } });
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toContain('La versión "2026.10" del guion "guion-temprana" ya se publicó');
    expect(body.fields).toEqual({ version: 'ya usada con otro contenido' });
  });

  it('returns a script history with the bodies, and 404 for an unknown script', async () => {
    const response = await get('/api/admin/scripts/guion-temprana/history');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { history: (AdminScriptBody['current'] & { script: Script })[] };
    expect(body.history.map((entry) => [entry.version, entry.source, entry.script.version])).toEqual([
      ['2026.10', 'admin', '2026.10'],
      [factory.version, 'resources', factory.version],
    ]);
    expect((await get('/api/admin/scripts/no-existe/history')).status).toBe(404);
  });

  it('keeps the administrator’s script when the resources file publishes again at start', async () => {
    const published = await server.store.publishContent(
      [{ key: 'script:guion-temprana', version: factory.version, entry: { type: 'script.set', payload: { ...factory, version: '2026.11' } } }],
      NOW,
    );
    expect(published).toEqual([]);
    expect((await server.store.scriptHistory('guion-temprana'))[0]?.version).toBe('2026.10');
  });
});

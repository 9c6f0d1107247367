import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginResponseSchema } from '@gestiona/core/sync';
import { z } from 'zod';
import type { RunningServer } from './app.ts';
import { hashToken } from './auth/tokens.ts';
import { BACKEND_NAMES, useTestBackend } from './fixtures/backends.ts';
import { startTestServer } from './fixtures/server.ts';

const NOW = new Date('2026-12-04T10:00:00-05:00');

const errorBodySchema = z.object({ error: z.string(), field: z.string().optional() });
const errorBody = async (response: Response) => errorBodySchema.parse(await response.json());

describe.each(BACKEND_NAMES)('HTTP on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' });
  });
  afterAll(async () => {
    await server.close();
  });

  function post(body: string, contentType = 'application/json') {
    return fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': contentType }, body });
  }

  describe('GET /api/health', () => {
    it('returns ok and the server time in Bogotá', async () => {
      const response = await fetch(`${server.url}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true, time: '2026-12-04T10:00:00-05:00' });
    });
  });

  describe('POST /api/auth/login', () => {
    it('opens a 12-hour session and stores only the token hash', async () => {
      const response = await post(JSON.stringify({ username: 'agente1', password: 'clave-segura-1', workstationId: 'ws-1' }));
      expect(response.status).toBe(200);
      const body = loginResponseSchema.parse(await response.json());
      expect(body.user).toMatchObject({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent' });
      expect(body.expiresAt).toBe('2026-12-04T22:00:00-05:00');
      expect(body.token.length).toBeGreaterThanOrEqual(40);

      expect(await server.store.findSession(hashToken(body.token), NOW)).toMatchObject({ workstationId: 'ws-1', user: { username: 'agente1' } });
      expect(await server.store.findSession(body.token, NOW)).toBeNull();
      expect(await server.store.findSession(hashToken(body.token), new Date(NOW.getTime() + 12 * 60 * 60 * 1000))).toBeNull();
    });

    it('gives each login its own token', async () => {
      const body = JSON.stringify({ username: 'agente1', password: 'clave-segura-1', workstationId: 'ws-1' });
      const first = loginResponseSchema.parse(await (await post(body)).json());
      const second = loginResponseSchema.parse(await (await post(body)).json());
      expect(first.token).not.toBe(second.token);
    });

    const wrong: [string, object][] = [
      ['a wrong password', { username: 'agente1', password: 'otra-clave', workstationId: 'ws-1' }],
      ['an unknown user', { username: 'nadie', password: 'clave-segura-1', workstationId: 'ws-1' }],
    ];
    it.each(wrong)('rejects %s with 401', async (_case, body) => {
      const response = await post(JSON.stringify(body));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'Usuario o contraseña incorrectos.' });
    });

    const malformed: [string, string, string, string][] = [
      ['a missing password', JSON.stringify({ username: 'agente1', workstationId: 'ws-1' }), 'password', 'Solicitud inválida: falta el campo "password".'],
      ['an empty username', JSON.stringify({ username: '', password: 'x', workstationId: 'ws-1' }), 'username', 'Solicitud inválida: el campo "username" está vacío.'],
      ['a numeric workstation', JSON.stringify({ username: 'a', password: 'x', workstationId: 7 }), 'workstationId', 'Solicitud inválida: el campo "workstationId" debe ser texto.'],
      ['an array body', '[]', '(cuerpo)', 'Solicitud inválida: envíe un objeto JSON con username, password y workstationId.'],
    ];
    it.each(malformed)('rejects %s with 400 naming the field', async (_case, body, field, message) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: message, field });
    });

    it('rejects invalid JSON and other content types', async () => {
      const broken = await post('{"username": ');
      expect(broken.status).toBe(400);
      expect(await broken.json()).toEqual({ error: 'El cuerpo de la solicitud no es JSON válido. Envíe un objeto JSON.' });

      const text = await post('username=agente1', 'text/plain');
      expect(text.status).toBe(400);
      expect((await errorBody(text)).field).toBe('(cuerpo)');

      const xml = await post('<login/>', 'application/xml');
      expect(xml.status).toBe(415);
      expect((await errorBody(xml)).error).toMatch(/application\/json/);
    });

    it('answers unknown routes with 404 in Spanish', async () => {
      const response = await fetch(`${server.url}/api/nada`);
      expect(response.status).toBe(404);
      expect((await errorBody(response)).error).toBe('Ruta desconocida: GET /api/nada.');
    });
  });
});

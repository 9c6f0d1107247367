import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { login, startTestServer } from '../fixtures/server.ts';
import { FORBIDDEN_MESSAGE } from './payment-routes.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const FILE = 'tipo_documento;numero_documento;numero_obligacion;entidad;fecha_pago;valor_pagado;referencia_pago\r\nCC;1020304050;TC-0001;Banco Cafetero del Sur;03/12/2026;150.000,50;PAGO-1\r\n';

describe.each(BACKEND_NAMES)('payments API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  const tokens: Record<string, string> = {};

  const post = (body: unknown, token: string | undefined) =>
    fetch(`${server.url}/api/admin/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
  const fileBody = (text: string) => ({ fileName: 'pagos.csv', contentBase64: Buffer.from(text, 'utf8').toString('base64') });

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    await server.store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow()])), now: NOW });
    await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD });
    await server.store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });
    for (const username of ['agente1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
  });

  afterAll(async () => {
    await server.close();
  });

  it('forbids an agent', async () => {
    const response = await post(fileBody(FILE), tokens.agente1);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: FORBIDDEN_MESSAGE });
  });

  it('rejects a body without the file', async () => {
    const response = await post({ fileName: 'pagos.csv' }, tokens.admin);
    expect(response.status).toBe(400);
  });

  it('imports once, then skips duplicates', async () => {
    const first = await post(fileBody(FILE), tokens.admin);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ stored: 1, duplicates: 0, storedCents: 15_000_050 });
    const again = await post(fileBody(FILE), tokens.admin);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ stored: 0, duplicates: 1 });
  });

  it('lists the problems of a rejected file', async () => {
    const response = await post(fileBody(FILE.replace('TC-0001', 'XX-404')), tokens.admin);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: Array<{ line: number; column: string; value: string; text: string }>; total: number };
    expect(body.total).toBe(1);
    expect(body.problems[0]).toMatchObject({ line: 2, column: 'numero_obligacion', value: 'XX-404' });
    expect(body.problems[0]!.text).toContain('obligación desconocida');
  });
});

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { RENEWAL_MESSAGES } from '../auth/session-routes.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer, tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

async function renew(url: string, session: LoginResponse, workstationId: string): Promise<Response> {
  return fetch(`${url}/api/auth/renew`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ renewalToken: session.renewalToken, workstationId }),
  });
}

describe.each(BACKEND_NAMES)('disable user API on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  const tokens: Record<string, string> = {};

  const disable = (username: string, token: string | null = tokens.admin!) =>
    fetch(`${server.url}/api/admin/users/${encodeURIComponent(username)}/disable`, {
      method: 'POST',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    for (const [username, role] of [
      ['agente1', 'agent'],
      ['agente2', 'agent'],
      ['supervisor1', 'team-lead'],
      ['admin', 'admin'],
    ] as const) {
      await server.store.createUser({ username, fullName: `Usuario ${username}`, role, password: PASSWORD });
    }
    for (const username of ['supervisor1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
  });

  afterAll(async () => {
    await server.close();
  });

  it('disables an agent and ends every session', async () => {
    const first = await login(server.url, 'agente1', PASSWORD, 'ws-a');
    const second = await login(server.url, 'agente1', PASSWORD, 'ws-b');
    const socket = await connectWorkstation(server.url, { token: first.token, workstationId: 'ws-a' });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const response = await disable('agente1');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      username: 'agente1',
      fullName: 'Usuario agente1',
      active: false,
      endedSessions: 2,
      revokedChains: 2,
      workstationIds: ['ws-a', 'ws-b'],
    });

    expect(await disconnected).toBe('io server disconnect');
    await expect(connectWorkstation(server.url, { token: second.token, workstationId: 'ws-b' })).rejects.toThrow(/unauthorized/);
    const refused = await renew(server.url, first, 'ws-a');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ reason: 'user-disabled', error: RENEWAL_MESSAGES['user-disabled'] });
  });

  it('keeps old chains revoked after enabling', async () => {
    const before = await login(server.url, 'agente2', PASSWORD, 'ws-c');
    expect((await disable('agente2')).status).toBe(200);
    expect(await server.store.setUserActive('agente2', true)).toBe(true);

    const stale = await renew(server.url, before, 'ws-c');
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { reason: string }).reason).toBe('revoked');
    await expect(connectWorkstation(server.url, { token: before.token, workstationId: 'ws-c' })).rejects.toThrow(/unauthorized/);

    const after = await login(server.url, 'agente2', PASSWORD, 'ws-c');
    const socket = await connectWorkstation(server.url, { token: after.token, workstationId: 'ws-c' });
    socket.close();
  });

  it('forbids a team lead', async () => {
    const response = await disable('agente2', tokens.supervisor1!);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'Solo un administrador puede deshabilitar usuarios. Pida el cambio al administrador del sistema.' });
    expect((await server.store.findCredentials('agente2'))?.active).toBe(true);
  });

  it('requires a session', async () => {
    expect((await disable('agente2', null)).status).toBe(401);
  });

  it('names an unknown username', async () => {
    const response = await disable('fantasma');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'No existe el usuario "fantasma". Revise el nombre de usuario.' });
  });

  it('refuses to disable the caller', async () => {
    const response = await disable('admin');
    expect(response.status).toBe(409);
    expect((await server.store.findCredentials('admin'))?.active).toBe(true);
  });
});

describe('users disable and enable commands', () => {
  let dir: ReturnType<typeof tempDir>;
  let dbPath: string;
  let store: ServerStore;

  const openTestStore = () => openStore({ dbPath, logger: createLogger({ level: 'silent' }) });

  /** Runs the command line as `npm run server` does, with the store closed so the file has one writer. */
  async function runCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    await store.close();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--db', dbPath], { cwd: REPO_ROOT, env: { ...process.env, GESTIONA_LOG_LEVEL: 'silent' } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    store = await openTestStore();
    return result;
  }

  beforeEach(async () => {
    dir = tempDir();
    dbPath = join(dir.path, 'server.sqlite');
    store = await openTestStore();
    await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, NOW);
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('disables and enables a user', async () => {
    const disabled = await runCli('users', 'disable', 'Agente1');
    expect(disabled.code).toBe(0);
    expect(disabled.stdout.split('\n')[0]).toBe('Usuario deshabilitado: agente1 (agent) — Ana María Peña');
    expect(disabled.stdout).toContain('Sesiones terminadas: 0; cadenas de renovación revocadas: 0');
    expect((await store.findCredentials('agente1'))?.active).toBe(false);

    const enabled = await runCli('users', 'enable', 'agente1');
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain('Usuario habilitado: agente1.');
    expect((await store.findCredentials('agente1'))?.active).toBe(true);
  });

  it('names an unknown user', async () => {
    const result = await runCli('users', 'disable', 'fantasma');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No existe el usuario "fantasma"');
  });

  it('requires one username', async () => {
    const result = await runCli('users', 'enable');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Indique un solo usuario: npm run server -- users enable USUARIO.');
  });
});

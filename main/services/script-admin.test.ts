import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminScript } from '@gestiona/core/ipc';
import type { Script } from '@gestiona/core/script';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import type { RunningServer } from '../../server/src/app.ts';
import { startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { SCRIPTS_FORBIDDEN_MESSAGE } from './script-admin.ts';

const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;
const FACTORY: Script = JSON.parse(readFileSync(new URL('../../resources/scripts/guion-media.json', import.meta.url), 'utf8'));

describe('admin:scripts-list and admin:scripts-publish', () => {
  let root: string;
  let server: RunningServer;
  const opened: OpenedWorkstation[] = [];

  async function signedIn(username: string): Promise<OpenedWorkstation> {
    const dataDir = path.join(root, `ws-${opened.length}`);
    mkdirSync(dataDir);
    const ws = await openWorkstation(dataDir, { serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    opened.push(ws);
    const user = demoUser(username);
    const result = await ws.call('auth:login', { username: user.username, password: user.password });
    if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.message}`);
    return ws;
  }

  beforeAll(async () => {
    root = makeTempDir('gestiona-scripts-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
  });

  afterAll(async () => {
    for (const ws of opened) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  it('lists the scripts in force for an administrator', async () => {
    const ws = await signedIn('admin');
    const result = await ws.call<{ scripts: AdminScript[] }>('admin:scripts-list', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.scripts.map((entry) => entry.script.id)).toContain('guion-media');
  });

  it.each(['agente1', 'supervisor1'])('refuses %s', async (username) => {
    const ws = await signedIn(username);
    expect(await ws.call('admin:scripts-list', {})).toEqual({ ok: false, error: { code: 'forbidden', message: SCRIPTS_FORBIDDEN_MESSAGE } });
  });

  it('passes the server check problems back by step', async () => {
    const ws = await signedIn('admin');
    const bad = { ...FACTORY, version: '2026.50', steps: FACTORY.steps.map((step) => (step.id === 'saludo' ? { ...step, text: 'Hola, su saldo es {{saldo_total}}.' } : step)) };
    const result = await ws.call('admin:scripts-publish', { script: bad, reason: null });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.fields?.saludo).toContain('Paso "Saludo": {{saldo_total}} revela la deuda antes de verificar la identidad (R12).');
  });

  it('publishes a new version and reports a reused one as a conflict', async () => {
    const ws = await signedIn('admin');
    const published = await ws.call<{ published: boolean; script: AdminScript }>('admin:scripts-publish', { script: { ...FACTORY, version: '2026.51' }, reason: 'Prueba' });
    expect(published.ok && published.value.published).toBe(true);
    expect(published.ok && published.value.script.current).toMatchObject({ version: '2026.51', source: 'admin', reason: 'Prueba' });

    const reused = await ws.call('admin:scripts-publish', { script: { ...FACTORY, version: '2026.51', name: 'Otro nombre' } });
    expect(reused.ok).toBe(false);
    if (!reused.ok) expect(reused.error.code).toBe('conflict');
  });
});

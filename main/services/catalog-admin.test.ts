import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '@gestiona/core/catalog';
import type { IpcValue } from '@gestiona/core/ipc';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import type { RunningServer } from '../../server/src/app.ts';
import { startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { CATALOG_FORBIDDEN_MESSAGE } from './catalog-admin.ts';

const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;

describe('admin:catalog-get and admin:catalog-publish', () => {
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
    root = makeTempDir('gestiona-catalog-admin-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
  });

  afterAll(async () => {
    for (const ws of opened) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  it('reads the catalog in force and publishes a new version through the server', async () => {
    const ws = await signedIn('admin');
    const read = await ws.call<IpcValue<'admin:catalog-get'>>('admin:catalog-get', {});
    if (!read.ok) throw new Error(read.error.message);
    const current = read.value.current!;
    expect(current.publishedBy).toBeNull();
    expect(read.value.history.map((entry) => entry.version)).toEqual([current.version]);

    const next: Catalog = {
      ...current.catalog,
      version: '2099.1',
      codes: current.catalog.codes.map((code) => (code.code === 'OC' ? { ...code, retired: true, shortcut: null } : code)),
    };
    const published = await ws.call<IpcValue<'admin:catalog-publish'>>('admin:catalog-publish', { catalog: next, reason: 'Retira Ocupado' });
    expect(published).toMatchObject({ ok: true, value: { published: true, version: '2099.1' } });
    expect((await server.store.listCatalogVersions()).map((entry) => entry.version)).toEqual(['2099.1', current.version]);

    // Dropping a code is refused by the server with its Spanish reason and field.
    const dropped = { ...next, version: '2099.2', codes: next.codes.filter((code) => code.code !== 'OC') };
    const refused = await ws.call('admin:catalog-publish', { catalog: dropped });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('Código OC ("Ocupado"): ya se publicó y no se puede borrar'), fields: { codes: expect.any(String) } } });

    // A broken shortcut is refused in main already, naming the field in Spanish.
    const duplicated = { ...next, version: '2099.3', codes: next.codes.map((code) => (code.code === 'NC' ? { ...code, shortcut: 'P' } : code)) };
    const local = await ws.call('admin:catalog-publish', { catalog: duplicated });
    expect(local).toMatchObject({ ok: false, error: { code: 'invalid-input', fields: { 'codes.10.shortcut': 'Código NC: el atajo P ya lo usa el código PP.' } } });
  });

  it.each(['supervisor1', 'agente1'])('refuses %s', async (username) => {
    const ws = await signedIn(username);
    expect(await ws.call('admin:catalog-get', {})).toEqual({ ok: false, error: { code: 'forbidden', message: CATALOG_FORBIDDEN_MESSAGE } });
  });
});

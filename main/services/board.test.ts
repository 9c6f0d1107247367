import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardSchema, type Board } from '@gestiona/core/board';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import type { RunningServer } from '../../server/src/app.ts';
import { startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { BOARD_FORBIDDEN_MESSAGE } from './board.ts';

const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;

describe('board:get', () => {
  let root: string;
  let server: RunningServer;
  const opened: OpenedWorkstation[] = [];

  async function signedIn(username: string | null): Promise<OpenedWorkstation> {
    const dataDir = path.join(root, `ws-${opened.length}`);
    mkdirSync(dataDir);
    const ws = await openWorkstation(dataDir, { serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    opened.push(ws);
    if (username !== null) {
      const user = demoUser(username);
      const result = await ws.call('auth:login', { username: user.username, password: user.password });
      if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.message}`);
    }
    return ws;
  }

  beforeAll(async () => {
    root = makeTempDir('gestiona-board-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
  });

  afterAll(async () => {
    for (const ws of opened) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  it.each(['supervisor1', 'admin'])('returns the board to %s', async (username) => {
    const ws = await signedIn(username);
    const result = await ws.call<Board>('board:get', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const board = boardSchema.parse(result.value);
    expect(board.agents.map((agent) => agent.username).sort()).toEqual(['agente1', 'agente2', 'agente3']);
    expect(board.agents.every((agent) => agent.leasedDebtors > 0)).toBe(true);
  });

  it('refuses an agent', async () => {
    const ws = await signedIn('agente1');
    const result = await ws.call('board:get', {});
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: BOARD_FORBIDDEN_MESSAGE } });
  });

  it('refuses a signed-out workstation', async () => {
    const ws = await signedIn(null);
    const result = await ws.call('board:get', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('not-authenticated');
  });

  it('rejects arguments', async () => {
    const ws = await signedIn('supervisor1');
    const result = await ws.call('board:get', { agentId: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
  });

  it('says offline without the server', async () => {
    const ws = await signedIn('supervisor1');
    await server.close();
    const result = await ws.call('board:get', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('offline');
    expect(result.error.message).toMatch(/^No hay conexión con el servidor central/);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract, type DialResult } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { AGENT_1, AGENT_2, SERVER_NOW, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };

describe('sign-in of a disabled agent with unsent records', () => {
  let root: string;
  let serverDir: string;
  let server: RunningServer;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    root = makeTempDir('gestiona-disabled-');
    serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    ws = await openWorkstation(path.join(root, 'workstation'), {
      clock: new SettableClock('2026-03-03T10:00:00-05:00'),
      serverUrl: server.url,
      secretStore: new MemorySecretStore(null),
    });
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  async function login(user: { username: string; password: string }) {
    return ws.call('auth:login', { username: user.username, password: user.password });
  }

  /** Signs in agent 1, works one debtor with the server down (three queued events), signs out and brings the server back. */
  async function leaveUnsentRecords(): Promise<void> {
    const signedIn = await login(AGENT_1);
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    const list = await ws.call('worklist:list', { offset: 0, limit: 10 });
    if (!list.ok) throw new Error(list.error.message);
    const debtorId = ipcContract['worklist:list'].result.parse(list.value).items[0]!.debtorId;
    const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error('the call was not placed');
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);
    expect((await ws.call('auth:logout', {})).ok).toBe(true);

    server = await startTestServer(serverDir, { port, seed: false });
  }

  it('tells the disabled owner how her records get sent', async () => {
    await leaveUnsentRecords();
    await server.store.disableUser(AGENT_1.username, SERVER_NOW);

    const refused = await login(AGENT_1);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('not-authenticated');
    if (!refused.ok) {
      expect(refused.error.message).toContain('Su usuario está deshabilitado en el servidor central.');
      expect(refused.error.message).toContain('Esta estación tiene 3 registro(s) suyos sin enviar');
      expect(refused.error.message).toContain(`npm run server -- users enable ${AGENT_1.username}`);
    }

    // The documented procedure: enable, sign in here until the records are sent, disable again.
    await server.store.setUserActive(AGENT_1.username, true);
    expect((await login(AGENT_1)).ok).toBe(true);
    await ws.workstation.sync.flushNow();
    await vi.waitFor(() => expect(ws.workstation.sync.status().pending).toBe(0), WAIT);
    expect(await server.store.countEvents()).toBe(3);
  });

  it('revokes the session of a refused switch', async () => {
    await leaveUnsentRecords();
    await server.store.disableUser(AGENT_1.username, SERVER_NOW);

    const refused = await login(AGENT_2);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('conflict');
    if (!refused.ok) {
      expect(refused.error.message).toContain('3 registro(s) de Ana María Peña sin enviar');
      expect(refused.error.message).toContain(`Si su usuario está deshabilitado, un administrador debe habilitarlo de nuevo (npm run server -- users enable ${AGENT_1.username})`);
    }
    // Disabling agent 2 ends her live sessions: none, because the refused sign-in's session was revoked.
    expect((await server.store.disableUser(AGENT_2.username, SERVER_NOW))?.endedSessions).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract, sessionStateSchema, type DialResult } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { AGENT_1, AGENT_2, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const HOUR = 60 * 60 * 1000;

describe('offline sign-in', () => {
  let root: string;
  let serverDir: string;
  let server: RunningServer;
  let port: number;
  let clock: SettableClock;
  let secretStore: MemorySecretStore;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    root = makeTempDir('gestiona-offline-');
    serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    port = server.port;
    clock = new SettableClock('2026-03-03T10:00:00-05:00');
    secretStore = new MemorySecretStore(null);
    ws = await openWorkstation(path.join(root, 'workstation'), { clock, serverUrl: server.url, secretStore });

    // Online sign-in, then sign-out, then the server goes away.
    const online = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!online.ok) throw new Error(online.error.message);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
    expect((await ws.call('auth:logout', {})).ok).toBe(true);
    await server.close();
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  async function signIn(username: string, password: string) {
    return ws.call('auth:login', { username, password });
  }

  async function contactableCount(): Promise<number> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    return ipcContract['worklist:list'].result.parse(list.value).items.filter((item) => item.legalStatus === 'contactable').length;
  }

  async function dialAndTypify(): Promise<string> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    const debtorId = ipcContract['worklist:list'].result.parse(list.value).items.find((item) => item.legalStatus === 'contactable')!.debtorId;
    const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error('the call was not placed');
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);
    return debtorId;
  }

  it('signs in offline within allowance, flushes once', async () => {
    // Typified while the server is away, then signed out: sign-out deletes the debtor data and keeps the queue.
    server = await startTestServer(serverDir, { port, seed: false });
    expect((await signIn(AGENT_1.username, AGENT_1.password)).ok).toBe(true);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('online'), WAIT);
    await vi.waitFor(async () => expect(await contactableCount()).toBeGreaterThan(0), WAIT);
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    const debtorId = await dialAndTypify();
    expect((await ws.call('auth:logout', {})).ok).toBe(true);

    clock.advance(24 * HOUR);
    const offline = await signIn(AGENT_1.username, AGENT_1.password);
    if (!offline.ok) throw new Error(offline.error.message);
    const state = sessionStateSchema.parse(offline.value);
    expect(state.user?.username).toBe(AGENT_1.username);
    expect(state.offlineUntil).toBe('2026-03-06T10:00:00-05:00');
    expect(secretStore.token).toBeNull();
    expect(await contactableCount()).toBe(0);
    expect(ws.workstation.sync.status().pending).toBe(3);

    // Back online: sign out and in again with the server, and the queue goes out once.
    server = await startTestServer(serverDir, { port, seed: false });
    expect((await ws.call('auth:logout', {})).ok).toBe(true);
    const online = await signIn(AGENT_1.username, AGENT_1.password);
    if (!online.ok) throw new Error(online.error.message);
    expect(sessionStateSchema.parse(online.value).offlineUntil).toBeNull();
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', pending: 0 }), WAIT);
    expect((await server.store.findInteractions(debtorId)).map((interaction) => interaction.code)).toEqual(['NC']);
    expect(await server.store.countEvents()).toBe(3);
  });

  it('refuses a wrong password and then locks offline sign-in', async () => {
    for (let i = 0; i < 4; i += 1) {
      const wrong = await signIn(AGENT_1.username, 'mala-clave');
      expect(wrong).toEqual({ ok: false, error: { code: 'not-authenticated', message: 'Usuario o contraseña incorrectos.' } });
    }
    const locked = await signIn(AGENT_1.username, 'mala-clave');
    expect(locked.ok).toBe(false);
    if (!locked.ok) expect(locked.error.message).toBe('Demasiados intentos fallidos sin conexión. El ingreso sin conexión queda bloqueado hasta el 03/03/2026 10:15.');
    expect((await signIn(AGENT_1.username, AGENT_1.password)).ok).toBe(false);

    clock.advance(15 * 60 * 1000);
    expect((await signIn(AGENT_1.username, AGENT_1.password)).ok).toBe(true);
  });

  it('explains that another user needs the server', async () => {
    const result = await signIn(AGENT_2.username, AGENT_2.password);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('offline');
      expect(result.error.message).toMatch(/^No hay conexión con el servidor central \(http:\/\/127\.0\.0\.1:\d+\)\. Sin conexión solo puede ingresar quien inició sesión en línea en esta estación/);
    }
  });

  it('refuses after the allowance and says until when it lasted', async () => {
    clock.advance(72 * HOUR);
    const result = await signIn(AGENT_1.username, AGENT_1.password);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('offline');
      expect(result.error.message).toContain('Su último ingreso en línea fue el 03/03/2026 10:00 y el ingreso sin conexión solo vale hasta el 06/03/2026 10:00.');
    }
  });

  it('stops dialing once the allowance of a signed-in offline session is over', async () => {
    clock.advance(71 * HOUR);
    expect((await signIn(AGENT_1.username, AGENT_1.password)).ok).toBe(true);
    clock.advance(2 * HOUR);
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    expect(list.ok).toBe(false);
    if (!list.ok) expect(list.error.message).toBe('La sesión sin conexión venció el 06/03/2026 10:00. Conéctese a la red: cuando el servidor central responda, ingrese su contraseña en el aviso que aparecerá para seguir trabajando. No cierre sesión, porque se borrarían los datos de los deudores de este equipo.');
    expect((await ws.call('auth:logout', {})).ok).toBe(true);
  });
});

import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { io as connectSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract, sessionStateSchema, type DialResult } from '@gestiona/core/ipc';
import { renewRefusalSchema } from '@gestiona/core/sync';
import { startServer, type RunningServer } from '../../server/src/app.ts';
import { seedDemo } from '../../server/src/demo-seed.ts';
import { SettableClock } from '../clock.ts';
import { decodeSessionSecrets } from '../secret-store.ts';
import { AGENT_1, SERVER_NOW, writePortfolio } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('session renewal against the central server', () => {
  let root: string;
  let serverDir: string;
  let dataDir: string;
  let server: RunningServer;
  let serverNow: Date;
  let clock: SettableClock;
  let secretStore: MemorySecretStore;
  let ws: OpenedWorkstation;

  /** Starts the server on `port` with a 1-day renewal lifetime, so that tests can outlive it. */
  async function start(port = 0, seed = false): Promise<void> {
    server = await startServer({
      dbPath: path.join(serverDir, 'server.sqlite'),
      port,
      now: () => serverNow,
      renewalLifetimeMs: DAY,
      logger: pino({ level: process.env.GESTIONA_LOG_LEVEL ?? 'silent' }),
    });
    if (seed) await seedDemo(server.store, { portfolioFile: writePortfolio(serverDir), now: SERVER_NOW });
  }

  beforeEach(async () => {
    root = makeTempDir('gestiona-renewal-');
    serverDir = path.join(root, 'server');
    dataDir = path.join(root, 'workstation');
    mkdirSync(serverDir);
    serverNow = SERVER_NOW;
    await start(0, true);
    clock = new SettableClock('2026-03-03T10:00:00-05:00');
    secretStore = new MemorySecretStore(null);
    ws = await openWorkstation(dataDir, { clock, serverUrl: server.url, secretStore });
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  async function login(): Promise<void> {
    const result = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!result.ok) throw new Error(`login failed: ${result.error.message}`);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
  }

  async function sessionState() {
    const result = await ws.call('session:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return sessionStateSchema.parse(result.value);
  }

  function storedSecrets() {
    const secrets = decodeSessionSecrets(secretStore.token);
    if (secrets === null) throw new Error('no session secrets stored');
    return secrets;
  }

  /** Dials and typifies `count` debtors not contacted today; returns their ids. */
  async function typify(count: number): Promise<string[]> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    const items = ipcContract['worklist:list'].result.parse(list.value).items.filter((item) => item.legalStatus === 'contactable').slice(0, count);
    if (items.length < count) throw new Error(`only ${items.length} contactable debtors, ${count} needed`);
    const ids: string[] = [];
    for (const item of items) {
      const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId: item.debtorId });
      if (!view.ok) throw new Error(view.error.message);
      const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
      const dialed = await ws.call<DialResult>('contact:dial', { debtorId: item.debtorId, contactPointId: point.id, requestId: randomUUID() });
      if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error(`the call to ${item.debtorId} was not placed`);
      const saved = await ws.call<{ interactionId: string }>('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
      if (!saved.ok) throw new Error(saved.error.message);
      ids.push(item.debtorId);
    }
    return ids;
  }

  /** Takes the server down, lets the workstation queue work, and moves the server clock on. */
  async function workOfflineFor(serverMs: number, debtors: number): Promise<{ port: number; debtorIds: string[] }> {
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    const debtorIds = await typify(debtors);
    serverNow = new Date(serverNow.getTime() + serverMs);
    return { port, debtorIds };
  }

  async function expectStoredOnce(debtorIds: string[]): Promise<void> {
    for (const debtorId of debtorIds) expect((await server.store.findInteractions(debtorId)).map((interaction) => interaction.code)).toEqual(['NC']);
  }

  it('renews an expired session on reconnect and stores every queued event once', async () => {
    await login();
    const first = storedSecrets();
    expect(first.renewalToken).not.toBeNull();

    const { port, debtorIds } = await workOfflineFor(13 * HOUR, 2);
    expect(ws.workstation.sync.status().pending).toBe(6);
    expect(debtorIds).toHaveLength(2);

    await start(port);
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', pending: 0, lastError: null }), WAIT);

    const renewed = storedSecrets();
    expect(renewed.token).not.toBe(first.token);
    expect(renewed.renewalToken).not.toBe(first.renewalToken);
    expect(await server.store.countEvents()).toBe(6);
    await expectStoredOnce(debtorIds);
    expect((await sessionState()).offlineUntil).toBeNull();
  });

  it('expired renewal asks for sign-in, keeps outbox', async () => {
    await login();
    const { port, debtorIds } = await workOfflineFor(DAY + HOUR, 1);

    await start(port);
    await vi.waitFor(() => expect(ws.workstation.sync.status().lastError).toMatch(/inicie sesión de nuevo/i), WAIT);
    expect(ws.workstation.sync.status().pending).toBe(3);
    expect(secretStore.token).toBeNull();
    expect(await server.store.countEvents()).toBe(0);

    // Still within 72 hours of the online sign-in on the workstation's clock, so work goes on.
    const state = await sessionState();
    expect(state.user?.username).toBe(AGENT_1.username);
    expect(state.offlineUntil).toBe('2026-03-06T10:00:00-05:00');
    const more = await typify(1);
    expect(ws.workstation.sync.status().pending).toBe(6);

    await login();
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ pending: 0, lastError: null }), WAIT);
    expect(await server.store.countEvents()).toBe(6);
    await expectStoredOnce([...debtorIds, ...more]);
    expect((await sessionState()).offlineUntil).toBeNull();
  });

  it('revokes the chain when a rotated-out renewal token is replayed', async () => {
    await login();
    const first = storedSecrets();
    const { port } = await workOfflineFor(13 * HOUR, 1);
    await start(port);
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', pending: 0 }), WAIT);

    // A copy of the first renewal token, taken before the rotation, is presented again.
    const workstationId = (await sessionState()).workstationId;
    const replay = await fetch(`${server.url}/api/auth/renew`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ renewalToken: first.renewalToken, workstationId }),
    });
    expect(replay.status).toBe(401);
    expect(renewRefusalSchema.parse(await replay.json()).reason).toBe('revoked');

    // The server closed the workstation's socket; its renewal is refused in turn.
    await vi.waitFor(() => expect(ws.workstation.sync.status().lastError).toMatch(/fue cerrada en el servidor central/), WAIT);
    expect(secretStore.token).toBeNull();
    expect(ws.workstation.sync.status().connection).toBe('offline');
  });

  it('ends the session of a user disabled while offline', async () => {
    await login();
    const { port } = await workOfflineFor(13 * HOUR, 1);
    await start(port);
    await server.store.setUserActive(AGENT_1.username, false);

    await vi.waitFor(() => expect(ws.workstation.sync.status().lastError).toMatch(/deshabilitado/), WAIT);
    expect((await sessionState()).user).toBeNull();
    expect(secretStore.token).toBeNull();
    expect(ws.workstation.sync.status().pending).toBe(3);
    withStore(dataDir, (store) => {
      expect(store.db.prepare('SELECT count(*) AS n FROM debtors').get()).toEqual({ n: 0 });
      expect(store.outbox.stats().pending).toBe(3);
    });

    // Nor can the user sign in offline afterwards.
    const port2 = server.port;
    await server.close();
    const offline = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    expect(offline.ok).toBe(false);
    await start(port2);
  });

  it('revokes the server session at sign-out and deletes the tokens', async () => {
    await login();
    const { token } = storedSecrets();
    const workstationId = (await sessionState()).workstationId;

    const result = await ws.call('auth:logout', {});
    expect(result.ok).toBe(true);
    expect(secretStore.token).toBeNull();

    const socket = connectSocket(server.url, { auth: { token, workstationId }, reconnection: false, transports: ['websocket'] });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    socket.close();
    expect(error.message).toBe('unauthorized');
  });

  it('signs out offline without the server and leaves no token behind', async () => {
    await login();
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    const result = await ws.call('auth:logout', {});
    expect(result.ok).toBe(true);
    expect(secretStore.token).toBeNull();
    withStore(dataDir, (store) => expect(store.outbox.stats().pending).toBe(0));
    await start();
  });
});

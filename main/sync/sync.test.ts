import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcContract, sessionStateSchema, type DialResult, type PushMessage } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { AGENT_1, AGENT_2, startTestServer } from '../test-support/server.ts';
import { closedLocalPort, makeTempDir, MemorySecretStore, openWorkstation, removeDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };

describe('sync against the central server', () => {
  let root: string;
  let serverDir: string;
  let dataDir: string;
  let server: RunningServer;
  let clock: SettableClock;
  let secretStore: MemorySecretStore;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    root = makeTempDir('gestiona-sync-');
    serverDir = path.join(root, 'server');
    dataDir = path.join(root, 'workstation');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    clock = new SettableClock('2026-03-03T10:00:00-05:00');
    secretStore = new MemorySecretStore(null);
    ws = await open();
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  function open(dir = dataDir): Promise<OpenedWorkstation> {
    return openWorkstation(dir, { clock, serverUrl: server.url, secretStore });
  }

  async function login(user = AGENT_1, target = ws) {
    const result = await target.call('auth:login', { username: user.username, password: user.password });
    if (!result.ok) throw new Error(`login failed: ${result.error.message}`);
    await vi.waitFor(() => expect(target.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await target.workstation.sync.flushNow();
    return sessionStateSchema.parse(result.value);
  }

  async function worklist(target = ws) {
    const result = await target.call('worklist:list', { offset: 0, limit: 50 });
    if (!result.ok) throw new Error(result.error.message);
    return ipcContract['worklist:list'].result.parse(result.value);
  }

  /** Opens the first debtor, dials its mobile and saves `NC`, which queues three events (view, decision, interaction); returns the debtor id. */
  async function workOneDebtor(target = ws, index = 0): Promise<string> {
    const debtorId = (await worklist(target)).items[index]!.debtorId;
    const view = await target.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', {
      debtorId,
    });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
      const dialed = await target.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error('the call was not placed');
    const saved = await target.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);
    return debtorId;
  }

  it('rejects wrong credentials', async () => {
    const result = await ws.call('auth:login', { username: AGENT_1.username, password: 'mala-clave' });
    expect(result).toEqual({ ok: false, error: { code: 'not-authenticated', message: 'Usuario o contraseña incorrectos.' } });
    expect(secretStore.token).toBeNull();
  });

  it('shows the server lockout message after repeated failures', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await ws.call('auth:login', { username: AGENT_1.username, password: 'mala-clave' });
    }
    const result = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('not-authenticated');
      expect(result.error.message).toMatch(/bloquead|intentos/i);
      expect(result.error.message).not.toContain('HTTP 429');
    }
  });

  it('reports an unreachable server as offline', async () => {
    await ws.workstation.close();
    const url = `http://127.0.0.1:${await closedLocalPort()}`;
    ws = await openWorkstation(dataDir, { clock, serverUrl: url, secretStore });
    const result = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('offline');
      // No user signed in online on this workstation before, so offline sign-in is not possible either.
      expect(result.error.message).toContain(`No hay conexión con el servidor central (${url}).`);
      expect(result.error.message).toContain('este usuario necesita el servidor');
    }
  });

  it('fills the worklist from the initial pull', async () => {
    const session = await login();
    expect(session.user?.username).toBe(AGENT_1.username);
    expect(secretStore.token).not.toBeNull();

    const leased = await server.store.listActiveLeases(new Date('2026-03-03T15:00:00Z'), session.user!.id);
    const { items, total } = await worklist();
    expect(leased.length).toBeGreaterThan(0);
    expect(total).toBe(leased.length);
    expect(items.every((item) => item.legalStatus === 'contactable')).toBe(true);

    const catalog = await ws.call('catalog:get', {});
    expect(catalog.ok).toBe(true);
    expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', pending: 0, lastError: null });
  });

  it('stores a typified interaction once on the server', async () => {
    await login();
    const eventsBefore = await server.store.countEvents();
    const debtorId = await workOneDebtor();
    await ws.workstation.sync.flushNow();

    expect(ws.workstation.sync.status().pending).toBe(0);
    expect(await server.store.countEvents()).toBe(eventsBefore + 3);
    const interactions = await server.store.findInteractions(debtorId);
    expect(interactions.map((interaction) => interaction.code)).toEqual(['NC']);
  });

  it('keeps working offline and flushes once the server is back', async () => {
    await login();
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    const debtorId = await workOneDebtor();
    expect(ws.workstation.sync.status().pending).toBe(3);
    expect(ws.workstation.sync.status().oldestPendingAt).toBe('2026-03-03T10:00:00-05:00');

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();

    expect(ws.workstation.sync.status().pending).toBe(0);
    expect(await server.store.countEvents()).toBe(3);
    expect((await server.store.findInteractions(debtorId)).length).toBe(1);
  });

  it('flushes an outbox left at shutdown when reopened', async () => {
    await login();
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    await workOneDebtor();
    await ws.workstation.close();

    server = await startTestServer(serverDir, { port, seed: false });
    ws = await open();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();

    expect(ws.workstation.sync.status().pending).toBe(0);
    expect(await server.store.countEvents()).toBe(3);
  });

  it('deletes a re-sent event the server already stored', async () => {
    await login();
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    await workOneDebtor();
    const [sent] = withStore(dataDir, (store) => store.outbox.oldest(10, 'unused').events);

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
    expect(await server.store.countEvents()).toBe(3);

    // The same event queued again, as after a crash between the server's ack and our delete.
    withStore(dataDir, (store) =>
      store.db
        .prepare('INSERT INTO outbox (id, type, agent_id, occurred_at, payload) VALUES (?, ?, ?, ?, ?)')
        .run(sent!.id, sent!.type, sent!.agentId, sent!.occurredAt, JSON.stringify(sent!.payload)),
    );
    await ws.workstation.sync.flushNow();

    expect(ws.workstation.sync.status().pending).toBe(0);
    expect(await server.store.countEvents()).toBe(3);
    expect(withStore(dataDir, (store) => store.outbox.rejectedCount())).toBe(0);
  });

  it('moves a rejected event to the rejected table', async () => {
    const session = await login();
    const event = {
      decisionId: randomUUID(),
      debtorId: 'deudor-inexistente',
      personId: 'p',
      contactPointId: 'c',
      channel: 'voice',
      decision: { allowed: false, rules: ['R3'], reasons: [], warnings: [], nextAllowedAt: null, rulePackVersion: '2026.1', evaluatedAt: '2026-03-03T10:00:00-05:00' },
      historySize: 0,
      trustedAt: '2026-03-03T10:00:00-05:00',
      localAt: '2026-03-03T10:00:00-05:00',
      clockOffsetMs: 0,
    };
    withStore(dataDir, (store) =>
      store.outbox.enqueue({ type: 'decision.recorded', payload: event as never, agentId: session.user!.id, occurredAt: '2026-03-03T10:00:00-05:00' }),
    );
    await ws.workstation.sync.flushNow();

    const rejected = withStore(dataDir, (store) => store.outbox.rejected());
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toContain('deudor-inexistente');
    expect(ws.workstation.sync.status().pending).toBe(0);
    expect(ws.workstation.sync.status().lastError).toBe('El servidor central rechazó 1 registro(s); quedaron guardados aparte. Avise a soporte.');
  });

  it('keeps the feed cursor across a restart without re-applying entries', async () => {
    await login();
    const cursor = withStore(dataDir, (store) => store.meta.feedCursor());
    expect(cursor).toBeGreaterThan(0);
    const debtorId = (await worklist()).items[0]!.debtorId;
    await ws.workstation.close();

    // A marker only a re-applied `debtor.upsert` would overwrite.
    withStore(dataDir, (store) => store.db.prepare('UPDATE debtors SET priority = -7 WHERE id = ?').run(debtorId));
    ws = await open();
    const pushes: PushMessage[] = [];
    ws.workstation.onPush((message) => pushes.push(message));
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();

    expect(withStore(dataDir, (store) => store.meta.feedCursor())).toBe(cursor);
    expect(withStore(dataDir, (store) => store.debtors.get(debtorId)?.priority)).toBe(-7);
    expect(pushes.filter((message) => message.type === 'worklist-changed')).toEqual([]);
  });

  it('reports an expired session and keeps the queue', async () => {
    await login();
    await ws.workstation.close();
    const port = server.port;
    await server.close();
    secretStore.token = 'token-que-el-servidor-no-conoce-0123456789';
    ws = await open();
    await workOneDebtor();

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(() => expect(ws.workstation.sync.status().lastError).toBe('Sesión vencida: inicie sesión de nuevo.'), WAIT);
    expect(ws.workstation.sync.status().pending).toBe(3);

    await login();
    expect(ws.workstation.sync.status().pending).toBe(0);
    expect(await server.store.countEvents()).toBe(3);
  });

  it('wipes the previous agent data only after their outbox reached the server', async () => {
    await login(AGENT_1);
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    await workOneDebtor();
    // Signing out stops the sync client, so the events stay queued while the server comes back.
    const signedOut = await ws.call('auth:logout', {});
    expect(signedOut.ok).toBe(true);

    server = await startTestServer(serverDir, { port, seed: false });
    // Another agent signs in before the events left: refused, nothing lost.
    const refused = await ws.call('auth:login', { username: AGENT_2.username, password: AGENT_2.password });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('conflict');
    if (!refused.ok) expect(refused.error.message).toContain('3 registro(s) de Ana María Peña sin enviar');
    expect(ws.workstation.sync.status().pending).toBe(3);
    expect(secretStore.token).toBeNull();

    await login(AGENT_1);
    expect(ws.workstation.sync.status().pending).toBe(0);
    const agent1Debtors = (await worklist()).items.map((item) => item.debtorId);

    const session = await login(AGENT_2);
    expect(session.user?.username).toBe(AGENT_2.username);
    const agent2Debtors = (await worklist()).items.map((item) => item.debtorId);
    expect(agent2Debtors.length).toBeGreaterThan(0);
    expect(agent2Debtors.filter((id) => agent1Debtors.includes(id))).toEqual([]);
    expect(withStore(dataDir, (store) => agent1Debtors.map((id) => store.debtors.get(id)).filter(Boolean))).toEqual([]);
  });

  it('hands a reassigned debtor over once the old desk acknowledges', async () => {
    await login(AGENT_1);
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    const debtorId = await workOneDebtor();

    // An hour later the team lead moves the debtor to another agent before our events arrived.
    const reassignedAt = new Date('2026-03-03T16:00:00Z');
    server = await startTestServer(serverDir, { port, seed: false, now: () => reassignedAt });
    const agent2 = await server.store.findUserByUsername(AGENT_2.username);
    await server.store.reassignDebtor(debtorId, agent2!.id, reassignedAt);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
    expect(ws.workstation.sync.status().pending).toBe(0);
    expect((await worklist()).items.map((item) => item.debtorId)).not.toContain(debtorId);

    clock.set('2026-03-03T11:00:00-05:00');
    const other = await openWorkstation(path.join(root, 'workstation-2'), { clock, serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    try {
      await login(AGENT_2, other);
      // The first desk pushed its contact, then acknowledged the removal, so the debtor did not wait for the old lease's end.
      await other.workstation.sync.flushNow();
      const item = (await worklist(other)).items.find((candidate) => candidate.debtorId === debtorId);
      // The first agent's contact arrived with the debtor, so the limits count it here too.
      expect(item?.lastContactAt).toBe('2026-03-03T10:00:00-05:00');
    } finally {
      await other.workstation.close();
    }
  });
});

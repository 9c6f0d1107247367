import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GateDecision, RulePack } from '@gestiona/core/compliance/types';
import type { DialResult } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import { login as serverLogin } from '../../server/src/fixtures/server.ts';
import { createLogger } from '../../server/src/logger.ts';
import { openStore } from '../../server/src/store/open-store.ts';
import { SettableClock } from '../clock.ts';
import { AGENT_1, SERVER_NOW, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const ADMIN = DEMO_USERS.find((user) => user.role === 'admin')!;
/** The workstation's day: Tuesday 3 March 2026, an ordinary working day. */
const TODAY = '2026-03-03';

type PointView = { id: string; dialable: boolean; decision: GateDecision | null };
type DebtorViewValue = { persons: Array<{ role: string; contactPoints: PointView[] }> };

describe('rule pack published by an administrator', () => {
  let root: string;
  let serverDir: string;
  let dataDir: string;
  let server: RunningServer;
  let clock: SettableClock;
  let secretStore: MemorySecretStore;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    root = makeTempDir('gestiona-rulepack-');
    serverDir = path.join(root, 'server');
    dataDir = path.join(root, 'workstation');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    clock = new SettableClock(`${TODAY}T10:00:00-05:00`);
    secretStore = new MemorySecretStore(null);
    ws = await open();
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  function open(): Promise<OpenedWorkstation> {
    return openWorkstation(dataDir, { clock, serverUrl: server.url, secretStore });
  }

  async function login(): Promise<void> {
    const result = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!result.ok) throw new Error(`login failed: ${result.error.message}`);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('online'), WAIT);
    await ws.workstation.sync.flushNow();
  }

  async function firstDebtorId(): Promise<string> {
    const result = await ws.call<{ items: Array<{ debtorId: string }> }>('worklist:list', { offset: 0, limit: 50 });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.items[0]!.debtorId;
  }

  /** Returns the debtor's own dialable point, with the gate decision the debtor view shows for it now. */
  async function debtorPoint(debtorId: string): Promise<PointView> {
    const view = await ws.call<DebtorViewValue>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    return view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((point) => point.decision !== null)!;
  }

  async function publish(changes: Partial<RulePack>): Promise<RulePack> {
    const [current] = await server.store.listRulePacks(1);
    const pack = { ...current!.pack, version: '2026.2', ...changes };
    const { token } = await serverLogin(server.url, ADMIN.username, ADMIN.password, 'ws-admin');
    const response = await fetch(`${server.url}/api/admin/rule-pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ pack, reason: 'Decreto de duelo nacional' }),
    });
    expect(response.status).toBe(201);
    return pack;
  }

  async function dial(debtorId: string, pointId: string): Promise<DialResult> {
    const result = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: pointId, requestId: randomUUID() });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  it.each([
    { name: 'an extra blocked date', changes: { extraBlockedDates: [TODAY] }, reason: 'Fecha bloqueada por el administrador: no se permite contactar (R4).' },
    {
      name: 'an added holiday',
      changes: { calendarCorrections: { add: [{ date: TODAY, name: 'Día de duelo nacional' }], remove: [] } },
      reason: 'Festivo (Día de duelo nacional): no se permite contactar (R4).',
    },
  ])('blocks today after $name while connected', async ({ changes, reason }) => {
    await login();
    const debtorId = await firstDebtorId();
    const before = await debtorPoint(debtorId);
    expect(before.decision).toMatchObject({ allowed: true, rulePackVersion: '2026.1' });

    await publish(changes);
    await vi.waitFor(async () => expect((await debtorPoint(debtorId)).decision?.rulePackVersion).toBe('2026.2'), WAIT);

    const result = await dial(debtorId, before.id);
    expect(result.outcome).toBe('blocked');
    expect(result.decision).toMatchObject({ allowed: false, rules: ['R4'], rulePackVersion: '2026.2' });
    expect(result.decision.reasons.map((finding) => finding.message)).toEqual([reason]);
  });

  it('gets the pack on reconnect after being offline', async () => {
    await login();
    const debtorId = await firstDebtorId();
    const point = await debtorPoint(debtorId);
    const { port } = server;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    // Published with the server down, straight into its database, as the command line does.
    const store = await openStore({ dbPath: path.join(serverDir, 'server.sqlite'), logger: createLogger({ level: 'silent' }) });
    try {
      const admin = await store.findUserByUsername(ADMIN.username);
      const [current] = await store.listRulePacks(1);
      await store.publishRulePack({ pack: { ...current!.pack, version: '2026.2', extraBlockedDates: [TODAY] }, publishedBy: admin!.id, now: SERVER_NOW });
    } finally {
      await store.close();
    }
    expect((await debtorPoint(debtorId)).decision?.rulePackVersion).toBe('2026.1');

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(async () => expect((await debtorPoint(debtorId)).decision?.rulePackVersion).toBe('2026.2'), WAIT);
    const result = await dial(debtorId, point.id);
    expect(result.decision).toMatchObject({ allowed: false, rules: ['R4'], rulePackVersion: '2026.2' });
  });
});

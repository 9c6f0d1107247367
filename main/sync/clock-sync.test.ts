import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chainedRecordOf, verifyChain } from '@gestiona/core/evidence-chain';
import { debtorViewSchema, dialResultSchema, ipcContract, sessionStateSchema, type DialResult, type SessionState } from '@gestiona/core/ipc';
import { syncEventSchema } from '@gestiona/core/sync';
import type { RunningServer } from '../../server/src/app.ts';
import { TrustedClock } from '../clock.ts';
import { sha256Hex } from '../store/decision-chain.ts';
import { manualTime, type ManualTime } from '../test-support/manual-time.ts';
import { AGENT_1, SERVER_NOW, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const MINUTE = 60_000;
const CLOCK_REASON = /^El reloj de este equipo no es confiable: .+ Conéctese al servidor para sincronizar la hora\.$/;

describe('trusted clock against the central server', () => {
  let root: string;
  let serverDir: string;
  let dataDir: string;
  let server: RunningServer;
  let time: ManualTime;
  let secretStore: MemorySecretStore;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    root = makeTempDir('gestiona-clock-');
    serverDir = path.join(root, 'server');
    dataDir = path.join(root, 'workstation');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    secretStore = new MemorySecretStore(null);
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await server?.close();
    removeDir(root);
  });

  /** Opens the workstation with its machine clock `skewMs` away from the server's. */
  async function open(skewMs: number): Promise<void> {
    time = manualTime(SERVER_NOW.getTime() + skewMs);
    ws = await openWorkstation(dataDir, { clock: new TrustedClock({ sources: time }), serverUrl: server.url, secretStore });
  }

  /** Opens the workstation with its machine clock `skewMs` away from the server's and signs in. */
  async function openSignedIn(skewMs: number): Promise<void> {
    await open(skewMs);
    const result = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!result.ok) throw new Error(`login failed: ${result.error.message}`);
    await vi.waitFor(async () => expect((await session()).clock?.lastSyncAt).not.toBeNull(), WAIT);
    await ws.workstation.sync.flushNow();
  }

  async function session(): Promise<SessionState> {
    const result = await ws.call('session:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return sessionStateSchema.parse(result.value);
  }

  /** Returns the first leased debtor and its debtor's first authorised number. */
  async function firstDebtor(): Promise<{ debtorId: string; contactPointId: string }> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 10 });
    if (!list.ok) throw new Error(list.error.message);
    const debtorId = ipcContract['worklist:list'].result.parse(list.value).items[0]!.debtorId;
    const view = await ws.call('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const holder = debtorViewSchema.parse(view.value).persons.find((person) => person.role === 'debtor')!;
    return { debtorId, contactPointId: holder.contactPoints.find((point) => point.authorized)!.id };
  }

  async function dial(target: { debtorId: string; contactPointId: string }): Promise<DialResult> {
    const result = await ws.call('contact:dial', { ...target, requestId: randomUUID() });
    if (!result.ok) throw new Error(`dial failed: ${result.error.message}`);
    return dialResultSchema.parse(result.value);
  }

  /** Reads the decision events the server stored, in the workstation's chain order. */
  function serverDecisionEvents() {
    const db = new Database(server.store.path, { readonly: true });
    try {
      const rows = db.prepare("SELECT payload FROM events WHERE type = 'decision.recorded' ORDER BY workstation_seq").all() as Array<{ payload: string }>;
      return rows.map((row) => syncEventSchema.parse(JSON.parse(row.payload))).flatMap((event) => (event.type === 'decision.recorded' ? [event.payload] : []));
    } finally {
      db.close();
    }
  }

  it('blocks a dial when the measured offset passes the maximum', async () => {
    await openSignedIn(10 * MINUTE);

    const state = await session();
    expect(state.clock).toMatchObject({ trusted: false, offsetMs: -10 * MINUTE, lastSyncAt: '2026-03-03T09:00:00-05:00' });
    expect(state.clock?.reason).toMatch(CLOCK_REASON);
    expect(state.clock?.reason).toContain('difiere 10 min de la hora del servidor (se admiten hasta 5 min)');
    expect(state.now).toBe('2026-03-03T09:00:00-05:00');

    const target = await firstDebtor();
    const result = await dial(target);
    expect(result.outcome).toBe('blocked');
    expect(result.decision.rules).toEqual(['R16']);
    expect(result.decision.reasons[0]?.message).toBe(state.clock?.reason);
    expect(ws.dialed).toEqual([]);
    expect(withStore(dataDir, (store) => store.attempts.pending())).toBeNull();
  });

  it('sends the refusal and its chain link to the server', async () => {
    await openSignedIn(10 * MINUTE);
    await dial(await firstDebtor());
    await ws.workstation.sync.flushNow();
    expect(ws.workstation.sync.status().pending).toBe(0);

    const decisions = serverDecisionEvents();
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      workstationRule: 'CLOCK',
      clockOffsetMs: -10 * MINUTE,
      clockSyncedAt: '2026-03-03T09:00:00-05:00',
      chain: { index: 1 },
    });

    // What the server must do to check a workstation's log: verify the chained payloads against the reported head.
    await vi.waitFor(async () => {
      const [record] = await server.store.listWorkstations();
      expect(record?.state?.decisionChainIndex).toBe(1);
    }, WAIT);
    const [record] = await server.store.listWorkstations();
    const expectedHead = { index: Number(record!.state!.decisionChainIndex), hash: String(record!.state!.decisionChainHash) };
    const chained = decisions.map((payload) => chainedRecordOf(payload)!);
    expect(verifyChain(chained, sha256Hex, { expectedHead })).toMatchObject({ ok: true, count: 1 });
  });

  it('reports the untrusted clock in the workstation state', async () => {
    await openSignedIn(10 * MINUTE);
    await vi.waitFor(async () => {
      const [record] = await server.store.listWorkstations();
      expect(record?.state).toMatchObject({ clockTrusted: false, clockOffsetMs: -10 * MINUTE, clockLastSyncAt: '2026-03-03T09:00:00-05:00' });
    }, WAIT);
    const [record] = await server.store.listWorkstations();
    expect(String(record?.state?.clockReason)).toMatch(CLOCK_REASON);
  });

  it('re-measures on reconnect and unblocks dials', async () => {
    await openSignedIn(10 * MINUTE);
    const target = await firstDebtor();
    const port = server.port;
    await server.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    // NTP slews the machine's clock back in steps too small to count as jumps, so the stored offset
    // is now wrong and only a new measurement can tell.
    for (let step = 0; step < 400; step += 1) {
      time.jumpWall(-1_500);
      await session();
    }
    expect((await session()).clock).toMatchObject({ trusted: false, offsetMs: -10 * MINUTE, jumpDetectedAt: null });
    expect((await dial(target)).decision.rules).toEqual(['R16']);

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(async () => expect((await session()).clock?.trusted).toBe(true), WAIT);
    expect((await session()).clock).toMatchObject({ offsetMs: 0, reason: null });

    const placed = await dial(target);
    expect(placed.outcome).toBe('placed');
    expect(ws.dialed).toHaveLength(1);
  });

  it('trusts a clock set right while closed once measured again', async () => {
    await openSignedIn(10 * MINUTE);
    await ws.workstation.close();
    const port = server.port;
    await server.close();

    // The agent set the machine's clock right while Gestiona was closed: it is now earlier than the
    // last time the workstation read it, which counts as a jump until the server vouches for it.
    await open(0);
    const state = await session();
    expect(state.clock?.trusted).toBe(false);
    expect(state.clock?.reason).toContain('al iniciar');
    expect((await dial(await firstDebtor())).decision.rules).toEqual(['R16']);

    server = await startTestServer(serverDir, { port, seed: false });
    await vi.waitFor(async () => expect((await session()).clock?.trusted).toBe(true), WAIT);
    expect((await session()).clock).toMatchObject({ offsetMs: 0, lastSyncAt: '2026-03-03T09:00:00-05:00', reason: null });
  });

  it('trusts a clock set right again before the next measurement', async () => {
    await openSignedIn(10 * MINUTE);
    time.jumpWall(-10 * MINUTE);
    expect((await session()).clock).toMatchObject({ trusted: true, offsetMs: 0, jumpMs: -10 * MINUTE });
    expect((await dial(await firstDebtor())).outcome).toBe('placed');
  });

  it('records trusted time, local time and offset in the decision and the interaction', async () => {
    await openSignedIn(-2 * MINUTE);
    expect((await session()).clock).toMatchObject({ trusted: true, offsetMs: 2 * MINUTE });

    const placed = await dial(await firstDebtor());
    if (placed.outcome !== 'placed') throw new Error('expected the call to be placed');
    const saved = await ws.call<{ interactionId: string }>('wrapup:save', { attemptId: placed.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);

    const stored = withStore(dataDir, (store) => ({
      decision: store.decisions.byId(store.attempts.byId(placed.wrapUp.attemptId)!.decisionId),
      interaction: store.db
        .prepare('SELECT typified_at, local_typified_at, clock_offset_ms FROM interactions WHERE id = ?')
        .get(saved.value.interactionId) as { typified_at: string; local_typified_at: string; clock_offset_ms: number },
    }));
    expect(stored.decision).toMatchObject({
      trustedAt: '2026-03-03T09:00:00-05:00',
      localAt: '2026-03-03T08:58:00-05:00',
      clockOffsetMs: 2 * MINUTE,
      clockSyncedAt: '2026-03-03T09:00:00-05:00',
      workstationRule: null,
    });
    expect(stored.interaction).toEqual({ typified_at: '2026-03-03T09:00:00-05:00', local_typified_at: '2026-03-03T08:58:00-05:00', clock_offset_ms: 2 * MINUTE });
  });
});

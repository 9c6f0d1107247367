import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chainedRecordOf, verifyChain } from '@gestiona/core/evidence-chain';
import { BOGOTA_ZONE } from '@gestiona/core/format';
import type { DialResult } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { sha256Hex } from '../store/decision-chain.ts';
import { startLargeServer } from '../test-support/portfolio.ts';
import { SERVER_NOW } from '../test-support/server.ts';
import { AGENT_1 } from '../test-support/server.ts';
import { TcpProxy } from '../test-support/tcp-proxy.ts';
import { MemorySecretStore, openWorkstation, removeDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 30_000, interval: 50 };
const TYPIFICATIONS = 5_000;
/** The demo seed leases debtors among three agents, so agent 1 gets a third of these: over 1,700 people to call each day. */
const PORTFOLIO_ROWS = 5_160;

/**
 * Bogotá working windows of the 72 hours after the leases start (Tuesday 3 March 2026, 09:00, no
 * holiday in the week). R5 allows one contact per person per day, so each day calls each person once.
 */
const WINDOWS = [
  { from: '2026-03-03T09:00', to: '2026-03-03T18:59' },
  { from: '2026-03-04T07:00', to: '2026-03-04T18:59' },
  { from: '2026-03-05T07:00', to: '2026-03-05T18:59' },
];
const OUTAGE_END = '2026-03-06T09:00';

/**
 * Both databases go to a RAM file system where there is one: the run commits about 25,000
 * transactions, each waiting for the disk under `synchronous=FULL`, which takes minutes on a shared
 * virtual disk. Durability across a crash is what crash.test.ts checks; this test checks delivery.
 */
const TEST_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

const bogotaMs = (local: string) => DateTime.fromISO(local, { zone: BOGOTA_ZONE }).toMillis();

interface Dialable {
  debtorId: string;
  contactPointId: string;
}

describe('72 hours offline with 5,000 typifications', () => {
  let root: string;
  let server: RunningServer;
  let proxy: TcpProxy;
  let ws: OpenedWorkstation;
  const clock = new SettableClock(`${WINDOWS[0]!.from}:00-05:00`);

  beforeAll(async () => {
    root = mkdtempSync(path.join(TEST_ROOT, 'gestiona-outage-'));
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    // The server's clock follows the desk's once it passes SERVER_NOW, as real clocks would.
    server = await startLargeServer(serverDir, PORTFOLIO_ROWS, () => (clock.now() > SERVER_NOW.getTime() ? new Date(clock.now()) : SERVER_NOW));
    proxy = await TcpProxy.start(server.port);
    ws = await openWorkstation(path.join(root, 'workstation'), { clock, serverUrl: proxy.url, secretStore: new MemorySecretStore(null) });
    const login = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!login.ok) throw new Error(`login failed: ${login.error.message}`);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
  }, 120_000);

  afterAll(async () => {
    await ws?.workstation.close();
    await proxy?.close();
    await server?.close();
    removeDir(root);
  });

  /** Reads the holder's authorised mobile of every leased debtor from the pulled local store. */
  function dialables(): Dialable[] {
    return withStore(path.join(root, 'workstation'), (store) => {
      const ids = store.db.prepare('SELECT id FROM debtors ORDER BY id').pluck().all() as string[];
      return ids.map((debtorId) => {
        const debtor = store.debtors.get(debtorId)!;
        const holder = debtor.persons.find((person) => person.role === 'debtor')!;
        const point = debtor.contactPoints.find((candidate) => candidate.personId === holder.id && candidate.channel === 'voice')!;
        return { debtorId, contactPointId: point.id };
      });
    });
  }

  async function typify(target: Dialable): Promise<void> {
    const dialed = await ws.call<DialResult>('contact:dial', { ...target, requestId: randomUUID() });
    if (!dialed.ok) throw new Error(`dial of ${target.debtorId} failed at ${new Date(clock.now()).toISOString()}: ${dialed.error.message}`);
    if (dialed.value.outcome === 'blocked') {
      throw new Error(`the gate blocked ${target.debtorId} at ${new Date(clock.now()).toISOString()}: ${dialed.value.decision.rules.join(', ')}`);
    }
    clock.advance(5_000);
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(`save for ${target.debtorId} failed: ${saved.error.message}`);
  }

  /** Rows of the server's events table for one workstation, in the order the server stored them. */
  function serverEvents(workstationId: string): Array<{ id: string; workstation_seq: number }> {
    const db = new Database(path.join(root, 'server', 'server.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT id, workstation_seq FROM events WHERE workstation_id = ? ORDER BY rowid').all(workstationId) as Array<{
        id: string;
        workstation_seq: number;
      }>;
    } finally {
      db.close();
    }
  }

  it('delivers every event once and in order, and stays responsive', async () => {
    const targets = dialables();
    const perDay = Math.ceil(TYPIFICATIONS / WINDOWS.length);
    expect(targets.length).toBeGreaterThanOrEqual(perDay);

    proxy.setMode('refuse');
    proxy.dropAll();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);

    let done = 0;
    for (const window of WINDOWS) {
      const count = Math.min(perDay, TYPIFICATIONS - done);
      const start = bogotaMs(window.from);
      // Spread over the window, so every dial and save lands inside the legal hours.
      const step = Math.floor((bogotaMs(window.to) - start) / count);
      for (let index = 0; index < count; index += 1) {
        clock.set(start + index * step);
        await typify(targets[index]!);
      }
      done += count;
    }
    expect(done).toBe(TYPIFICATIONS);

    clock.set(`${OUTAGE_END}:00-05:00`);
    const queued = ws.workstation.sync.status();
    expect(queued.pending).toBe(TYPIFICATIONS * 2);
    expect(queued.oldestPendingAt).toBe('2026-03-03T09:00:00-05:00');
    const workstationId = withStore(path.join(root, 'workstation'), (store) => store.meta.workstationId());
    expect(serverEvents(workstationId)).toEqual([]);

    // Reconnect, wait for the first acknowledged batch, then use the agent's screens while the rest flushes.
    proxy.setMode('forward');
    await vi.waitFor(() => expect(ws.workstation.sync.status().pending).toBeLessThan(TYPIFICATIONS * 2), WAIT);
    const pendingWhenResolved: number[] = [];
    // Each round opens another debtor's file, which queues one `debtor.viewed` event.
    const rounds = 5;
    for (let round = 0; round < rounds; round += 1) {
      const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
      expect(list.ok).toBe(true);
      pendingWhenResolved.push(ws.workstation.sync.status().pending);
      const view = await ws.call('debtor:open', { debtorId: targets[round]!.debtorId });
      expect(view.ok).toBe(true);
      pendingWhenResolved.push(ws.workstation.sync.status().pending);
    }
    // Each call resolved while events were still queued, so none waited for the whole flush.
    for (const pending of pendingWhenResolved) expect(pending).toBeGreaterThan(0);

    await vi.waitFor(() => expect(ws.workstation.sync.status().pending).toBe(0), { timeout: 60_000, interval: 100 });

    const stored = serverEvents(workstationId);
    expect(stored).toHaveLength(TYPIFICATIONS * 2 + rounds);
    expect(new Set(stored.map((row) => row.id)).size).toBe(TYPIFICATIONS * 2 + rounds);
    const seqs = stored.map((row) => row.workstation_seq);
    const outOfOrder = seqs.findIndex((seq, index) => index > 0 && seq <= seqs[index - 1]!);
    expect(outOfOrder, `seq ${seqs[outOfOrder]} stored after ${seqs[outOfOrder - 1]}`).toBe(-1);
    expect(await server.store.countRejectedEvents()).toBe(0);

    const decisions = await server.store.findWorkstationDecisions(workstationId);
    expect(decisions).toHaveLength(TYPIFICATIONS);
    const verification = verifyChain(
      decisions.map((decision) => chainedRecordOf(decision.payload)!),
      sha256Hex,
    );
    expect(verification).toMatchObject({ ok: true, count: TYPIFICATIONS });
    expect(await server.store.listAlarms({ limit: 1_000 })).toEqual([]);
  }, 300_000);
});

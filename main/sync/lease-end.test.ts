import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DialResult } from '@gestiona/core/ipc';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { AGENT_1, AGENT_2, startTestServer } from '../test-support/server.ts';
import { TcpProxy } from '../test-support/tcp-proxy.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const NOTE = 'La hermana pidió llamar al 3205551234 después de las 5';

/** What the local database still contains about one debtor, table by table. */
interface Remains {
  debtors: number;
  obligations: number;
  persons: number;
  contactPoints: number;
  localRecords: number;
  ledger: number;
  decisions: number;
  chainLinks: number;
  attempts: Array<{ debtor_name: string; person_name: string; address: string; dial_uri: string | null }>;
  interactions: Array<{ id: string; code: string; fields: string; note: string | null }>;
  outbox: number;
}

describe('debtor data after the lease ends', () => {
  let root: string;
  let dataDir: string;
  let server: RunningServer;
  let proxy: TcpProxy;
  let clock: SettableClock;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    root = makeTempDir('gestiona-lease-end-');
    const serverDir = path.join(root, 'server');
    dataDir = path.join(root, 'workstation');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
    proxy = await TcpProxy.start(server.port);
    clock = new SettableClock('2026-03-03T10:00:00-05:00');
    ws = await openWorkstation(dataDir, { clock, serverUrl: proxy.url, secretStore: new MemorySecretStore(null) });
    const login = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    if (!login.ok) throw new Error(`login failed: ${login.error.message}`);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
  });

  afterEach(async () => {
    await ws?.workstation.close();
    await proxy?.close();
    await server?.close();
    removeDir(root);
  });

  /** Dials the first debtor of the worklist and saves `NC` with a note naming a third party's number. */
  async function typifyFirst(): Promise<string> {
    const list = await ws.call<{ items: Array<{ debtorId: string }> }>('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    const debtorId = list.value.items[0]!.debtorId;
    const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error(`the call to ${debtorId} was not placed`);
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: NOTE });
    if (!saved.ok) throw new Error(saved.error.message);
    return debtorId;
  }

  function remains(debtorId: string): Remains {
    return withStore(dataDir, (store) => {
      const count = (sql: string) => (store.db.prepare(sql).pluck().get(debtorId) as number) ?? 0;
      return {
        debtors: count('SELECT COUNT(*) FROM debtors WHERE id = ?'),
        obligations: count('SELECT COUNT(*) FROM obligations WHERE debtor_id = ?'),
        persons: count('SELECT COUNT(*) FROM persons WHERE debtor_id = ?'),
        contactPoints: count('SELECT COUNT(*) FROM contact_points WHERE debtor_id = ?'),
        localRecords: count('SELECT COUNT(*) FROM local_records WHERE debtor_id = ?'),
        ledger: count('SELECT COUNT(*) FROM ledger WHERE debtor_id = ?'),
        decisions: count('SELECT COUNT(*) FROM gate_decisions WHERE debtor_id = ?'),
        chainLinks: count('SELECT COUNT(*) FROM decision_chain c JOIN gate_decisions d ON d.id = c.decision_id WHERE d.debtor_id = ?'),
        attempts: store.db.prepare('SELECT debtor_name, person_name, address, dial_uri FROM attempts WHERE debtor_id = ?').all(debtorId) as Remains['attempts'],
        interactions: store.db.prepare('SELECT id, code, fields, note FROM interactions WHERE debtor_id = ?').all(debtorId) as Remains['interactions'],
        outbox: store.outbox.stats().pending,
      };
    });
  }

  /** Only ids, instants and codes stay: the ledger for the limits, the decisions and their chain as evidence. */
  function expectOnlyIdsLeft(debtorId: string): void {
    const left = remains(debtorId);
    expect(left).toMatchObject({ debtors: 0, obligations: 0, persons: 0, contactPoints: 0, localRecords: 0 });
    expect(left.ledger).toBe(1);
    expect(left.decisions).toBe(1);
    expect(left.chainLinks).toBe(1);
    expect(left.attempts).toEqual([{ debtor_name: '', person_name: '', address: '', dial_uri: null }]);
    expect(left.interactions).toHaveLength(1);
    expect(left.interactions[0]).toMatchObject({ code: 'NC', fields: '{}', note: null });
  }

  it('holds the debtor and its data while the lease runs', async () => {
    const debtorId = await typifyFirst();
    const left = remains(debtorId);
    expect(left).toMatchObject({ debtors: 1, obligations: 1 });
    expect(left.persons).toBeGreaterThan(0);
    expect(left.contactPoints).toBeGreaterThan(0);
    expect(left.attempts[0]?.address).toMatch(/^\+57/);
    expect(left.interactions[0]?.note).toBe(NOTE);
  });

  it('forgets a reassigned debtor as soon as the feed says so', async () => {
    const debtorId = await typifyFirst();
    await ws.workstation.sync.flushNow();
    expect(remains(debtorId).outbox).toBe(0);

    const agent2 = await server.store.findUserByUsername(AGENT_2.username);
    await server.store.reassignDebtor(debtorId, agent2!.id, new Date('2026-03-03T16:00:00Z'));
    await ws.workstation.sync.flushNow();

    expectOnlyIdsLeft(debtorId);
    // The server keeps the full record, note included: it is the evidence for a complaint.
    expect((await server.store.findInteractions(debtorId)).map((interaction) => interaction.note)).toEqual([NOTE]);
  });

  it('forgets a reassigned debtor at its lease end when the removal never arrived', async () => {
    const debtorId = await typifyFirst();
    await ws.workstation.sync.flushNow();
    const leaseUntil = withStore(dataDir, (store) => store.debtors.get(debtorId)!.leaseUntil);

    // Cut off before the team lead moves the debtor: this workstation never hears of it.
    proxy.setMode('refuse');
    proxy.dropAll();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    const agent2 = await server.store.findUserByUsername(AGENT_2.username);
    await server.store.reassignDebtor(debtorId, agent2!.id, new Date('2026-03-03T16:00:00Z'));

    clock.set(Date.parse(leaseUntil) - 60_000);
    const before = await ws.call<{ items: Array<{ debtorId: string }> }>('worklist:list', { offset: 0, limit: 50 });
    expect(before.ok && before.value.items.map((item) => item.debtorId)).toContain(debtorId);
    expect(remains(debtorId).debtors).toBe(1);

    clock.set(leaseUntil);
    const after = await ws.call<{ items: Array<{ debtorId: string }> }>('worklist:list', { offset: 0, limit: 50 });
    expect(after.ok && after.value.items.map((item) => item.debtorId)).not.toContain(debtorId);
    expectOnlyIdsLeft(debtorId);

    const opened = await ws.call('debtor:open', { debtorId });
    expect(opened.ok ? 'ok' : opened.error.code).toBe('not-found');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcContract } from '@gestiona/core/ipc';
import type { PromiseSnapshot } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';
import { BROKEN_TEXT, DUE_TODAY_TEXT } from './promises.ts';

function promise(id: string, debtorId: string, overrides: Partial<PromiseSnapshot> = {}): PromiseSnapshot {
  return {
    id,
    debtorId,
    kind: 'promise',
    code: 'PP',
    agentId: 'u-1',
    obligationIds: [`${debtorId}-o1`],
    amountCents: 50_000_000,
    paidCents: 0,
    excessCents: 0,
    madeAt: '2026-02-25T15:00:00.000Z',
    status: 'pending',
    statusChangedAt: '2026-02-25T15:00:00.000Z',
    statusReason: 'Promesa de pago (PP) registrada.',
    instalments: [{ number: 1, dueOn: '2026-03-03', amountCents: 50_000_000, paidCents: 0, status: 'pending' }],
    ...overrides,
  };
}

describe('promise follow-ups through IPC', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1', { priority: 50 }), makeDebtor('d2', { priority: 90, docNumber: '79555111' }), makeDebtor('d3', { priority: 10, docNumber: '79555222' })]);
    withStore(dir, (store) =>
      store.transaction(() => {
        store.promises.put(promise('p1', 'd1'), '2026-02-25T10:00:00-05:00');
        store.promises.put(promise('p2', 'd2', { status: 'broken', instalments: [{ number: 1, dueOn: '2026-02-20', amountCents: 50_000_000, paidCents: 0, status: 'broken' }] }), '2026-02-25T10:00:00-05:00');
      }),
    );
    ws = await openWorkstation(dir, { clock: new SettableClock('2026-03-03T10:00:00-05:00') });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  it('worklist shows due and broken promises', async () => {
    const result = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!result.ok) throw new Error(result.error.message);
    const items = ipcContract['worklist:list'].result.parse(result.value).items;
    const followUps = new Map(items.map((item) => [item.debtorId, item.followUp ?? null]));
    expect(followUps.get('d1')).toEqual({ kind: 'due-today', text: DUE_TODAY_TEXT });
    expect(followUps.get('d2')).toEqual({ kind: 'broken', text: BROKEN_TEXT });
    expect(followUps.get('d3')).toBeNull();
  });

  it('debtor view hides amounts before identity', async () => {
    const result = await ws.call('debtor:open', { debtorId: 'd1' });
    if (!result.ok) throw new Error(result.error.message);
    const view = ipcContract['debtor:open'].result.parse(result.value);
    const entry = view.timeline!.find((candidate) => candidate.kind === 'promise')!;
    expect(view.identity.confirmed).toBe(false);
    expect(entry).toMatchObject({ title: 'Promesa de pago', status: 'pending', amountsHidden: true, detail: 'para el 03/03/2026 · pendiente' });
  });
});

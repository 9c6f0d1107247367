import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogSchema } from '@gestiona/core/catalog';
import type { CollectionHold } from '@gestiona/core/catalog-holds';
import type { DialResult, IpcValue } from '@gestiona/core/ipc';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';
import { holdsReason } from './holds.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const SHIPPED = catalogSchema.parse(JSON.parse(readFileSync(new URL('../../resources/catalog.json', import.meta.url), 'utf8')));

const DISPUTE: CollectionHold = { kind: 'dispute', code: 'RC', since: '2026-03-02T15:00:00.000Z' };
const DECEASED: CollectionHold = { kind: 'stopped', code: 'FA', since: '2026-03-01T15:00:00.000Z' };
const DISPUTE_TEXT = 'Cobro en pausa por reclamación (RC, 02/03/2026). No se puede contactar hasta que un supervisor levante la pausa.';
const DECEASED_TEXT = 'Estrategia detenida: titular fallecido (FA, 01/03/2026). No se puede contactar.';
const BOTH_TEXT = 'Estrategia detenida: titular fallecido (FA, 01/03/2026); en disputa, cobro en pausa por reclamación (RC, 02/03/2026). No se puede contactar.';

describe('holdsReason', () => {
  it.each([
    { name: 'no hold', holds: [], expected: null },
    { name: 'dispute', holds: [DISPUTE], expected: DISPUTE_TEXT },
    { name: 'deceased', holds: [DECEASED], expected: DECEASED_TEXT },
    { name: 'deceased then dispute', holds: [DECEASED, DISPUTE], expected: BOTH_TEXT },
    { name: 'dispute then deceased', holds: [DISPUTE, DECEASED], expected: BOTH_TEXT },
  ])('$name', ({ holds, expected }) => {
    expect(holdsReason(holds)).toBe(expected);
  });
});

describe('collection holds on the worklist and the debtor view', () => {
  let dir: string;
  let ws: OpenedWorkstation;
  let seq = 100;
  let requests = 0;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1'), makeDebtor('d2', { fullName: 'Pedro Ramírez' })]);
    withStore(dir, (store) => applyFeedBatch(store, [{ seq: 50, type: 'catalog.set', payload: SHIPPED }], 50));
    ws = await openWorkstation(dir, { clock: new SettableClock(TUESDAY_10) });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  function sendHolds(debtorId: string, holds: CollectionHold[]): void {
    seq += 1;
    withStore(dir, (store) => applyFeedBatch(store, [{ seq, type: 'hold.set', payload: { debtorId, holds } }], seq));
  }

  async function dial(debtorId: string) {
    requests += 1;
    return ws.call<DialResult>('contact:dial', { debtorId, contactPointId: `${debtorId}-c1`, requestId: `00000000-0000-4000-8000-${String(requests).padStart(12, '0')}` });
  }

  /** Returns the status text of the debtor's worklist row when it is blocked, and the debtor view's hold text. */
  async function shownTexts(debtorId: string) {
    const page = await ws.call<IpcValue<'worklist:list'>>('worklist:list', { offset: 0, limit: 10 });
    if (!page.ok) throw new Error(page.error.message);
    const row = page.value.items.find((item) => item.debtorId === debtorId)!;
    const view = await ws.call<IpcValue<'debtor:open'>>('debtor:open', { debtorId });
    if (!view.ok) throw new Error(view.error.message);
    return { row: row.legalStatus === 'blocked' ? row.statusText : null, view: view.value.holdText };
  }

  it.each([
    { name: 'dispute', holds: [DISPUTE], expected: DISPUTE_TEXT },
    { name: 'deceased', holds: [DECEASED], expected: DECEASED_TEXT },
    { name: 'deceased and dispute', holds: [DISPUTE, DECEASED], expected: BOTH_TEXT },
  ])('shows every hold: $name', async ({ holds, expected }) => {
    sendHolds('d2', holds);
    expect(await shownTexts('d2')).toEqual({ row: expected, view: expected });
    const refused = await dial('d2');
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expected } });
  });

  it.each([
    { name: 'lifting the dispute keeps the deceased hold', remaining: [DECEASED], expected: DECEASED_TEXT },
    { name: 'lifting the deceased hold keeps the dispute', remaining: [DISPUTE], expected: DISPUTE_TEXT },
  ])('$name', async ({ remaining, expected }) => {
    sendHolds('d2', [DISPUTE, DECEASED]);
    expect((await shownTexts('d2')).row).toBe(BOTH_TEXT);

    sendHolds('d2', remaining);
    expect(await shownTexts('d2')).toEqual({ row: expected, view: expected });
    expect(await dial('d2')).toMatchObject({ ok: false, error: { code: 'conflict', message: expected } });
  });

  it('keeps a hold typified here until the server has it', async () => {
    await typifyDeceased('d1');
    expect(withStore(dir, (store) => store.holds.of('d1').map((hold) => hold.kind))).toEqual(['stopped']);

    // The server's lists do not have the deceased hold until the event reaches it.
    sendHolds('d1', [DISPUTE]);
    expect(withStore(dir, (store) => store.holds.of('d1').map((hold) => hold.kind))).toEqual(['stopped', 'dispute']);
    sendHolds('d1', []);
    expect(withStore(dir, (store) => store.holds.of('d1').map((hold) => hold.kind))).toEqual(['stopped']);
    expect((await shownTexts('d1')).row).toBe('Estrategia detenida: titular fallecido (FA, 03/03/2026). No se puede contactar.');

    // Once the server has acknowledged the event, its lists are complete: an empty one lifts the hold.
    withStore(dir, (store) => store.outbox.acknowledge(store.outbox.oldest(100, 'ws').events.map((event) => event.id)));
    sendHolds('d1', []);
    expect(await shownTexts('d1')).toEqual({ row: null, view: null });
  });

  async function typifyDeceased(debtorId: string): Promise<void> {
    const dialed = await dial(debtorId);
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    await ws.call('contact:confirm-identity', { attemptId: dialed.value.wrapUp.attemptId });
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'FA', fields: { note: 'Informa la hermana' }, note: null });
    if (!saved.ok) throw new Error(`setup: the typification was not saved: ${saved.error.message}`);
  }
});

import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogSchema } from '@gestiona/core/catalog';
import type { DialResult, IpcValue } from '@gestiona/core/ipc';
import type { InteractionRecorded } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const SHIPPED = catalogSchema.parse(JSON.parse(readFileSync(new URL('../../resources/catalog.json', import.meta.url), 'utf8')));
let requests = 0;

/** Reads what a saved typification left on the workstation: effect records, holds, flags, revocations and the event. */
function localState(dir: string) {
  return withStore(dir, (store) => ({
    records: store.db.prepare('SELECT kind, due_at AS dueAt FROM local_records ORDER BY kind').all(),
    holds: store.holds.of('d1').map((hold) => ({ kind: hold.kind, code: hold.code })),
    flags: (store.db.prepare('SELECT contact_point_id AS point FROM contact_point_flags').all() as Array<{ point: string }>).map((row) => row.point),
    revocations: (store.db.prepare('SELECT channel FROM channel_revocations').all() as Array<{ channel: string }>).map((row) => row.channel),
    event: store.outbox.oldest(10, 'ws').events.find((event) => event.type === 'interaction.recorded')?.payload as InteractionRecorded | undefined,
  }));
}

describe('typification effects on the workstation', () => {
  let dir: string;
  let ws: OpenedWorkstation;

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

  async function dial(debtorId: string) {
    requests += 1;
    return ws.call<DialResult>('contact:dial', { debtorId, contactPointId: `${debtorId}-c1`, requestId: `00000000-0000-4000-8000-${String(requests).padStart(12, '0')}` });
  }

  async function typify(code: string, fields: Record<string, unknown>) {
    const dialed = await dial('d1');
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    await ws.call('contact:confirm-identity', { attemptId: dialed.value.wrapUp.attemptId });
    return ws.call<{ interactionId: string }>('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code, fields, note: null });
  }

  // Every effect of the catalog: what is stored locally, and what the event to the server carries.
  // The server side of the same table is in server/src/catalog/catalog.test.ts.
  it.each([
    { effect: 'create-promise', code: 'PP', fields: { amount: 5_000_000, date: '2026-03-10' }, records: [{ kind: 'promise', dueAt: '2026-03-10' }], holds: [], flags: [], revocations: [] },
    {
      effect: 'create-agreement',
      code: 'AP',
      fields: { instalments: [{ dueDate: '2026-03-10', amountCents: 100_000 }, { dueDate: '2026-04-10', amountCents: 100_000 }] },
      records: [{ kind: 'agreement', dueAt: null }],
      holds: [],
      flags: [],
      revocations: [],
    },
    { effect: 'verify-payment', code: 'YP', fields: { date: '2026-03-01', amount: 100_000, reference: 'REF-1' }, records: [{ kind: 'payment-check', dueAt: null }], holds: [], flags: [], revocations: [] },
    { effect: 'schedule-callback', code: 'VL', fields: { callbackAt: '2026-03-04T10:00:00-05:00' }, records: [{ kind: 'callback', dueAt: '2026-03-04T10:00:00-05:00' }], holds: [], flags: [], revocations: [] },
    { effect: 'pause-collection', code: 'RC', fields: { note: 'No reconoce la deuda' }, records: [{ kind: 'collection-pause', dueAt: null }], holds: [{ kind: 'dispute', code: 'RC' }], flags: [], revocations: [] },
    { effect: 'revoke-authorization', code: 'RA', fields: { channel: 'sms' }, records: [], holds: [], flags: [], revocations: ['sms'] },
    { effect: 'flag-number', code: 'NE', fields: {}, records: [], holds: [], flags: ['d1-c1'], revocations: [] },
    { effect: 'stop-strategy', code: 'FA', fields: { note: 'Informa la hermana' }, records: [{ kind: 'strategy-stop', dueAt: null }], holds: [{ kind: 'stopped', code: 'FA' }], flags: [], revocations: [] },
  ])('$effect ($code): stored locally and carried by the event', async ({ code, fields, records, holds, flags, revocations }) => {
    const saved = await typify(code, fields);
    expect(saved).toMatchObject({ ok: true });
    const state = localState(dir);
    expect({ records: state.records, holds: state.holds, flags: state.flags, revocations: state.revocations }).toEqual({ records, holds, flags, revocations });
    const entry = SHIPPED.codes.find((candidate) => candidate.code === code)!;
    expect(state.event).toMatchObject({ code, complianceClass: entry.class, fields, catalogVersion: SHIPPED.version, debtorId: 'd1' });
  });

  it('held debtor: blocked until lifted', async () => {
    withStore(dir, (store) => applyFeedBatch(store, [{ seq: 60, type: 'hold.set', payload: { debtorId: 'd2', holds: [{ kind: 'dispute', code: 'RC', since: '2026-03-02T15:00:00.000Z' }] } }], 60));

    const page = await ws.call<IpcValue<'worklist:list'>>('worklist:list', { offset: 0, limit: 10 });
    if (!page.ok) throw new Error(page.error.message);
    const row = page.value.items.find((item) => item.debtorId === 'd2')!;
    expect(row).toMatchObject({ legalStatus: 'blocked', nextAllowedAt: null, statusText: 'Cobro en pausa por reclamación (RC, 02/03/2026). No se puede contactar hasta que un supervisor levante la pausa.' });

    const view = await ws.call<IpcValue<'debtor:open'>>('debtor:open', { debtorId: 'd2' });
    expect(view.ok && view.value.holdText).toBe(row.statusText);
    expect(view.ok && view.value.persons.flatMap((person) => person.contactPoints).some((point) => point.dialable)).toBe(false);

    const refused = await dial('d2');
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('Cobro en pausa por reclamación') } });
    expect(withStore(dir, (store) => store.db.prepare("SELECT COUNT(*) AS n FROM gate_decisions WHERE debtor_id = 'd2'").get())).toEqual({ n: 0 });

    withStore(dir, (store) => applyFeedBatch(store, [{ seq: 61, type: 'hold.set', payload: { debtorId: 'd2', holds: [] } }], 61));
    const lifted = await ws.call<IpcValue<'debtor:open'>>('debtor:open', { debtorId: 'd2' });
    expect(lifted.ok && lifted.value.holdText).toBeNull();
    expect(await dial('d2')).toMatchObject({ ok: true, value: { outcome: 'placed' } });
  });

  it('holds the debtor at once after a dispute is typified on this desk', async () => {
    await typify('RC', { note: 'No reconoce la deuda' });
    const refused = await dial('d1');
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('(RC, 03/03/2026)') } });
  });
});

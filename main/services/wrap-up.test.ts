import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debtorViewSchema, worklistItemSchema, type DialResult } from '@gestiona/core/ipc';
import { interactionRecordedSchema } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const REQUEST_ID = '00000000-0000-4000-8000-000000000001';

function count(dataDir: string, table: string, where = '1 = 1'): number {
  return withStore(dataDir, (store) => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n);
}

describe('wrapup:save', () => {
  let dir: string;
  let clock: SettableClock;
  let ws: OpenedWorkstation;
  let attemptId: string;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1'), makeDebtor('d2', { fullName: 'Pedro Ramírez' })]);
    clock = new SettableClock(TUESDAY_10);
    ws = await openWorkstation(dir, { clock });
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: REQUEST_ID });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    attemptId = dialed.value.wrapUp.attemptId;
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  /** Saves the typification; `identityConfirmed` first confirms the right party in main, as the script's identity step does. */
  async function save(code: string, fields: Record<string, unknown> = {}, id = attemptId, identityConfirmed = true) {
    if (identityConfirmed) await ws.call('contact:confirm-identity', { attemptId: id });
    return ws.call<{ interactionId: string }>('wrapup:save', { attemptId: id, code, fields, note: null });
  }

  it('rejects a right-party code before the identity check (R12)', async () => {
    const result = await save('RA', { channel: 'voice' }, attemptId, false);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toContain('(R12)');
      expect(result.error.fields).toEqual({ code: 'Falta confirmar la identidad (R12).' });
    }
    expect(withStore(dir, (store) => store.attempts.pending())?.id).toBe(attemptId);
  });

  it('saves an attempt code without the identity check', async () => {
    const result = await save('NC', {}, attemptId, false);
    expect(result.ok).toBe(true);
  });

  it.each(['ZZ', 'XX'])('rejects code %s that the catalog does not offer', async (code) => {
    const result = await save(code);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toBe(`Código de tipificación desconocido: ${code}. Elija uno del catálogo.`);
    }
    expect(count(dir, 'interactions')).toBe(0);
  });

  it.each([
    { case: 'a missing amount', fields: { date: '2026-03-10' }, field: 'amount', text: 'obligatorio' },
    { case: 'a past promise date', fields: { amount: 5_000_000, date: '2026-03-02' }, field: 'date', text: 'pasado' },
    { case: 'a date beyond 30 days', fields: { amount: 5_000_000, date: '2026-05-10' }, field: 'date', text: '30 días' },
    { case: 'a field the code does not have', fields: { amount: 5_000_000, date: '2026-03-10', motivo: 'x' }, field: 'motivo', text: 'no aplica' },
  ])('reports $case in the field problems', async ({ fields, field, text }) => {
    const result = await save('PP', fields);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.fields?.[field]).toContain(text);
    }
    expect(count(dir, 'attempts', "status = 'pending'")).toBe(1);
  });

  it.each([
    { case: 'on a Sunday', at: '2026-03-08T10:00:00-05:00', text: 'R3' },
    { case: 'later the same day', at: '2026-03-03T16:00:00-05:00', text: 'R5' },
    { case: 'after 19:00', at: '2026-03-04T19:30:00-05:00', text: 'R1' },
    { case: 'in the past', at: '2026-03-03T09:00:00-05:00', text: 'futura' },
  ])('rejects a callback $case', async ({ at, text }) => {
    const result = await save('VL', { callbackAt: at });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.fields?.callbackAt).toContain(text);
  });

  it('accepts a callback inside a legal window', async () => {
    const result = await save('VL', { callbackAt: '2026-03-04T09:30:00-05:00' });
    expect(result.ok).toBe(true);
    expect(count(dir, 'local_records', "kind = 'callback' AND due_at = '2026-03-04T09:30:00-05:00'")).toBe(1);
  });

  it('rejects a typification for another attempt', async () => {
    const result = await save('NC', {}, '00000000-0000-4000-8000-0000000000ff');
    expect(result.ok ? 'ok' : result.error.code).toBe('conflict');
  });

  it('writes interaction, ledger, effects and outbox event together', async () => {
    clock.set('2026-03-03T10:04:00-05:00');
    const result = await save('PP', { amount: 5_000_000, date: '2026-03-10' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    expect(count(dir, 'interactions', `id = '${result.value.interactionId}'`)).toBe(1);
    expect(count(dir, 'attempts', "status = 'closed'")).toBe(1);
    expect(count(dir, 'ledger', "kind = 'two-way' AND code = 'PP'")).toBe(1);
    expect(count(dir, 'local_records', "kind = 'promise' AND due_at = '2026-03-10'")).toBe(1);

    const events = withStore(dir, (store) => store.outbox.oldest(10, 'ws').events);
    expect(events.map((event) => event.type)).toEqual(['decision.recorded', 'interaction.recorded']);
    expect(events.map((event) => event.seq)).toEqual([1, 2]);
    const payload = interactionRecordedSchema.parse(events[1]?.payload);
    expect(payload).toMatchObject({ code: 'PP', kind: 'two-way', complianceClass: 'two-way', dialedAt: TUESDAY_10, typifiedAt: '2026-03-03T10:04:00-05:00' });

    const state = await ws.call<{ wrapUp: unknown }>('session:get', {});
    expect(state.ok).toBe(true);
    if (state.ok) expect(state.value.wrapUp).toBeNull();
    const other = await ws.call('debtor:open', { debtorId: 'd2' });
    expect(other.ok).toBe(true);
  });

  it('writes nothing when a step inside the transaction fails', async () => {
    withStore(dir, (store) =>
      store.db.exec(`
        CREATE TRIGGER fail_interaction_event BEFORE INSERT ON outbox
        WHEN NEW.type = 'interaction.recorded'
        BEGIN SELECT RAISE(ABORT, 'injected failure'); END;`),
    );

    const result = await save('PP', { amount: 5_000_000, date: '2026-03-10' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');

    expect(count(dir, 'interactions')).toBe(0);
    expect(count(dir, 'local_records')).toBe(0);
    expect(count(dir, 'attempts', "status = 'pending'")).toBe(1);
    expect(count(dir, 'ledger', "kind = 'attempt' AND code IS NULL")).toBe(1);
    expect(count(dir, 'outbox')).toBe(1);
  });

  it('shows the debtor as contacted today afterwards', async () => {
    await save('NC');
    const list = await ws.call<{ items: unknown[] }>('worklist:list', { offset: 0, limit: 10 });
    if (!list.ok) throw new Error(list.error.message);
    const d1 = list.value.items.map((item) => worklistItemSchema.parse(item)).find((item) => item.debtorId === 'd1');
    expect(d1?.legalStatus).toBe('contacted-today');
    expect(d1?.statusText).toBe('Ya contactado hoy — próximo: mañana 07:00');
    expect(d1?.lastResultCode).toBe('NC');
    expect(d1?.lastContactAt).toBe(TUESDAY_10);
  });

  it('flags a wrong number', async () => {
    await save('NE');
    const view = await ws.call('debtor:open', { debtorId: 'd1' });
    if (!view.ok) throw new Error(view.error.message);
    const point = debtorViewSchema.parse(view.value).persons[0]?.contactPoints.find((candidate) => candidate.id === 'd1-c1');
    expect(point?.flagged).toBe('Número equivocado (03/03/2026)');
  });

  it('revokes the channel at once and keeps it revoked over a feed update', async () => {
    await save('RA', { channel: 'voice' });

    // The feed still carries the old authorisation: the server has not processed the event yet.
    withStore(dir, (store) => applyFeedBatch(store, [{ seq: 100, type: 'debtor.upsert', payload: makeDebtor('d1') }], 100));

    clock.set('2026-03-04T10:00:00-05:00');
    const view = await ws.call('debtor:open', { debtorId: 'd1' });
    if (!view.ok) throw new Error(view.error.message);
    const point = debtorViewSchema.parse(view.value).persons[0]?.contactPoints.find((candidate) => candidate.id === 'd1-c1');
    expect(point?.authorized).toBe(false);
    expect(point?.authorizationText).toBe('Autorización revocada el 03/03/2026');
    expect(point?.decision?.rules).toEqual(['R7']);
    expect(point?.dialable).toBe(false);
  });
});

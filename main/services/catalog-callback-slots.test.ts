import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DialResult, IpcValue } from '@gestiona/core/ipc';
import { bogotaDate } from '@gestiona/core/format';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, type OpenedWorkstation } from '../test-support/workstation.ts';

// Friday 6 March 2026, 17:40 in Bogotá.
const FRIDAY = '2026-03-06T17:40:00-05:00';

describe('wrapup:callback-slots', () => {
  let dir: string;
  let ws: OpenedWorkstation;
  let attemptId: string;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1')]);
    ws = await openWorkstation(dir, { clock: new SettableClock(FRIDAY) });
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: '00000000-0000-4000-8000-000000000001' });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    attemptId = dialed.value.wrapUp.attemptId;
    await ws.call('contact:confirm-identity', { attemptId });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  it('callback slots: only legal ones', async () => {
    const result = await ws.call<IpcValue<'wrapup:callback-slots'>>('wrapup:callback-slots', { attemptId, code: 'VL' });
    if (!result.ok) throw new Error(result.error.message);
    const { slots } = result.value;
    const days = [...new Set(slots.map((slot) => bogotaDate(slot)))];
    expect(days).toEqual(['2026-03-07', '2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13']);
    const saturday = slots.filter((slot) => bogotaDate(slot) === '2026-03-07');
    expect([saturday[0], saturday.at(-1)]).toEqual(['2026-03-07T08:00:00-05:00', '2026-03-07T14:30:00-05:00']);
    const monday = slots.filter((slot) => bogotaDate(slot) === '2026-03-09');
    expect([monday[0], monday.at(-1), monday.length]).toEqual(['2026-03-09T07:00:00-05:00', '2026-03-09T18:30:00-05:00', 24]);

    // Every offered slot is one main accepts on save, and a slot it does not offer is refused.
    const refused = await ws.call('wrapup:save', { attemptId, code: 'VL', fields: { callbackAt: '2026-03-08T10:00:00-05:00' }, note: null });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input', fields: { callbackAt: expect.stringContaining('Domingo') } } });
    const saved = await ws.call('wrapup:save', { attemptId, code: 'VL', fields: { callbackAt: saturday[0] }, note: null });
    expect(saved.ok).toBe(true);
  });

  it('refuses another attempt', async () => {
    const result = await ws.call('wrapup:callback-slots', { attemptId: '00000000-0000-4000-8000-000000000099', code: 'VL' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

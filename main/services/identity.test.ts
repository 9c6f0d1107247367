/**
 * R12 in the debtor view: balances, days past due and the script's debt variables leave main only
 * after the agent confirmed the right party of an open contact, and hide again once it is typified.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debtorViewSchema, type DebtorView, type DialResult } from '@gestiona/core/ipc';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const HIDDEN = '[dato de la deuda: visible al confirmar la identidad]';

describe('identity check of the open contact (R12)', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1'), makeDebtor('d2', { fullName: 'Pedro Ramírez' })]);
    ws = await openWorkstation(dir, { clock: new SettableClock(TUESDAY_10) });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function open(debtorId = 'd1'): Promise<DebtorView> {
    const result = await ws.call<DebtorView>('debtor:open', { debtorId });
    if (!result.ok) throw new Error(result.error.message);
    return debtorViewSchema.parse(result.value);
  }

  async function dial(contactPointId: string, debtorId = 'd1'): Promise<string> {
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId, requestId: crypto.randomUUID() });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    return dialed.value.wrapUp.attemptId;
  }

  const debtText = (view: DebtorView) => view.script.steps.at(-1)?.text;

  it('hides debt during an unconfirmed call', async () => {
    const attemptId = await dial('d1-c1');
    const view = await open();
    expect(view.identity).toMatchObject({ confirmed: false, attemptId });
    expect(view.identity.text).toContain('Confirme en el guion que habla con María Peña Báez');
    expect(view.totals).toBeNull();
    expect(view.obligations[0]).toMatchObject({ creditor: 'Banco Andino', number: '4500-1', detail: null });
    expect(debtText(view)).toBe(`Tiene un saldo vencido de ${HIDDEN} con ${HIDDEN}.`);
    // The amounts are not merely unrendered: they are absent from what main sent.
    expect(JSON.stringify(view)).not.toContain('250000000');
  });

  it('shows debt until the wrap-up', async () => {
    const attemptId = await dial('d1-c1');
    const confirmed = await ws.call<{ identityConfirmedAt: string }>('contact:confirm-identity', { attemptId });
    expect(confirmed.ok && confirmed.value.identityConfirmedAt).toBe(TUESDAY_10);

    const during = await open();
    expect(during.identity).toMatchObject({ confirmed: true, attemptId });
    expect(during.identity.text).toBe('Identidad de María Peña Báez confirmada el 03/03/2026 10:00.');
    expect(during.totals).toEqual({ balanceCents: 250_000_000, overdueCents: 40_000_000, maxDaysPastDue: 25 });
    expect(during.obligations[0]?.detail).toMatchObject({ balanceCents: 250_000_000, overdueCents: 40_000_000, daysPastDue: 25 });
    expect(debtText(during)).toBe('Tiene un saldo vencido de $\u00a0400.000 con Banco Andino.');

    const session = await ws.call<{ wrapUp: { identityConfirmedAt: string | null } }>('session:get', {});
    expect(session.ok && session.value.wrapUp.identityConfirmedAt).toBe(TUESDAY_10);

    const saved = await ws.call('wrapup:save', { attemptId, code: 'RA', fields: { channel: 'voice' }, note: null });
    expect(saved.ok).toBe(true);
    const event = withStore(dir, (store) => store.db.prepare("SELECT payload FROM outbox WHERE type = 'interaction.recorded'").get() as { payload: string });
    expect(JSON.parse(event.payload)).toMatchObject({ code: 'RA', identityConfirmedAt: TUESDAY_10 });
    const after = await open();
    expect(after.identity).toMatchObject({ confirmed: false, attemptId: null });
    expect(after.totals).toBeNull();
  });

  it('keeps confirmation across restart', async () => {
    const attemptId = await dial('d1-c1');
    await ws.call('contact:confirm-identity', { attemptId });
    await ws.workstation.close();
    ws = await openWorkstation(dir, { clock: new SettableClock('2026-03-03T10:05:00-05:00') });
    expect((await open()).identity).toMatchObject({ confirmed: true, attemptId });
  });

  it('confirms a co-obligor', async () => {
    const attemptId = await dial('d1-c3');
    const confirmed = await ws.call('contact:confirm-identity', { attemptId });
    expect(confirmed.ok).toBe(true);
    expect((await open()).totals).not.toBeNull();
  });

  it('repeats the first confirmation instant', async () => {
    const attemptId = await dial('d1-c1');
    await ws.call('contact:confirm-identity', { attemptId });
    const again = await ws.call<{ identityConfirmedAt: string }>('contact:confirm-identity', { attemptId });
    expect(again.ok && again.value.identityConfirmedAt).toBe(TUESDAY_10);
  });

  it.each([
    { case: 'no call is open', attemptId: null },
    { case: 'the id is not the open call', attemptId: '00000000-0000-4000-8000-00000000abcd' },
  ])('rejects confirmation when $case', async ({ attemptId }) => {
    if (attemptId !== null) await dial('d1-c1');
    const result = await ws.call('contact:confirm-identity', { attemptId: attemptId ?? crypto.randomUUID() });
    expect(result.ok ? 'ok' : result.error.code).toBe('conflict');
    expect(result.ok ? '' : result.error.message).toContain('No hay una llamada abierta con esa persona');
  });

  it('rejects right-party code before confirmation', async () => {
    const attemptId = await dial('d1-c1');
    // An old renderer, or a forged call, may still send the flag: the contract refuses the extra key.
    const forged = await ws.call('wrapup:save', { attemptId, code: 'RA', fields: { channel: 'voice' }, note: null, identityConfirmed: true });
    expect(forged.ok ? 'ok' : forged.error.code).toBe('invalid-input');
    const plain = await ws.call('wrapup:save', { attemptId, code: 'RA', fields: { channel: 'voice' }, note: null });
    expect(plain.ok ? 'ok' : plain.error.message).toContain('(R12)');
  });
});

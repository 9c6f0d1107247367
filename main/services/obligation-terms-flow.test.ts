import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTION_FEE_FIELD, type Catalog } from '@gestiona/core/catalog';
import type { DebtorSnapshot, Obligation } from '@gestiona/core/domain';
import { debtorViewSchema, type DebtorView, type DialResult } from '@gestiona/core/ipc';
import type { Script } from '@gestiona/core/script';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor, TEST_CATALOG, TEST_SCRIPT } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, TEST_AGENT, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const REQUEST_ID = '00000000-0000-4000-8000-000000000001';

const REPORT_SCRIPT: Script = {
  ...TEST_SCRIPT,
  steps: [
    ...TEST_SCRIPT.steps,
    { id: 'reporte', kind: 'negotiation', title: 'Reporte', text: '{{entidad}} puede reportarla a las centrales de riesgo.', announces: 'credit-report' },
  ],
};

const FEE_CATALOG: Catalog = {
  ...TEST_CATALOG,
  codes: TEST_CATALOG.codes.map((code) =>
    code.code === 'PP' ? { ...code, fields: [...code.fields, { name: COLLECTION_FEE_FIELD, label: 'Gastos de cobranza incluidos', type: 'amount', required: false }] } : code,
  ),
};

const DISCLOSED_10 = { schedulePercent: 10, disclosedToDebtor: true, inLitigation: false };

function debtorWith(id: string, terms: Partial<Obligation>): DebtorSnapshot {
  const debtor = makeDebtor(id);
  return { ...debtor, obligations: [{ ...debtor.obligations[0]!, ...terms }] };
}

/** Seeds the data dir with the marked script, the fee catalog and the debtors, as one feed pull would. */
function seed(dataDir: string, debtors: readonly DebtorSnapshot[]): void {
  withStore(dataDir, (store) => {
    store.meta.setAgent(TEST_AGENT);
    const entries = [
      { seq: 1, type: 'catalog.set', payload: FEE_CATALOG },
      { seq: 2, type: 'script.set', payload: REPORT_SCRIPT },
      ...debtors.map((debtor, index) => ({ seq: 3 + index, type: 'debtor.upsert', payload: debtor })),
    ];
    applyFeedBatch(store, entries, entries.length);
  });
}

describe('credit-report step and fee status in the debtor view', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seed(dir, [
      debtorWith('d1', { creditReportNotices: ['2026-02-01'] }),
      debtorWith('d2', { creditReportNotices: ['2026-02-20'], collectionFeeTerms: DISCLOSED_10 }),
      makeDebtor('d3'),
    ]);
    ws = await openWorkstation(dir, { clock: new SettableClock(TUESDAY_10) });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function open(debtorId: string): Promise<DebtorView> {
    const result = await ws.call<DebtorView>('debtor:open', { debtorId });
    if (!result.ok) throw new Error(result.error.message);
    return debtorViewSchema.parse(result.value);
  }

  /** Calls the debtor's mobile and confirms the right party, as the agent does before any debt detail shows (R12). */
  async function openDuringCall(debtorId: string): Promise<DebtorView> {
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: `${debtorId}-c1`, requestId: crypto.randomUUID() });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    const confirmed = await ws.call('contact:confirm-identity', { attemptId: dialed.value.wrapUp.attemptId });
    if (!confirmed.ok) throw new Error(confirmed.error.message);
    return open(debtorId);
  }

  /** Ends the open contact with "No contesta", so the next debtor can be called. */
  async function hangUp(attemptId: string): Promise<void> {
    const saved = await ws.call('wrapup:save', { attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(saved.error.message);
  }

  const reportStep = (view: DebtorView) => view.script.steps.find((step) => step.id === 'reporte')!;

  it('shows the step once 20 days have passed since the notice', async () => {
    const step = reportStep(await openDuringCall('d1'));
    expect(step.lock).toBeNull();
    expect(step.text).toBe('Banco Andino puede reportarla a las centrales de riesgo.');
  });

  it('withholds the text until the unlock date, naming it', async () => {
    const step = reportStep(await open('d2'));
    expect(step.text).toBe('');
    expect(step.lock).toEqual({
      rules: ['R14'],
      reasons: ['Obligación 4500-1 de Banco Andino: Aviso previo enviado el 20/02/2026; el reporte se podrá mencionar desde el 12/03/2026 (R14).'],
    });
  });

  it('locks the step without a recorded notice', async () => {
    const step = reportStep(await open('d3'));
    expect(step.text).toBe('');
    expect(step.lock?.reasons[0]).toContain('No hay aviso previo registrado');
  });

  it('leaves unmarked steps alone', async () => {
    const view = await open('d3');
    expect(view.script.steps.filter((step) => step.lock).map((step) => step.id)).toEqual(['reporte']);
  });

  it('states per obligation whether fees may be charged', async () => {
    const first = await openDuringCall('d2');
    const withTerms = first.obligations[0]!.detail!;
    expect(withTerms.collectionFee.allowed).toBe(true);
    expect(withTerms.collectionFee.text).toContain('hasta 10 %');
    expect(withTerms.creditReportText).toContain('12/03/2026');
    await hangUp(first.identity.attemptId!);

    const withoutTerms = (await openDuringCall('d3')).obligations[0]!.detail!;
    expect(withoutTerms.collectionFee).toEqual({ allowed: false, text: 'Sin tabla de gastos de cobranza registrada: no se pueden cobrar gastos (R15).' });
  });
});

describe('collection fee at wrap-up (R15)', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  /** Opens a workstation with one debtor and a placed call on its mobile; returns the attempt id. */
  async function dialDebtor(terms: Partial<Obligation>): Promise<string> {
    dir = makeTempDir();
    seed(dir, [debtorWith('d1', terms)]);
    ws = await openWorkstation(dir, { clock: new SettableClock(TUESDAY_10) });
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: REQUEST_ID });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    return dialed.value.wrapUp.attemptId;
  }

  async function promise(attemptId: string, amount: number, fee?: number) {
    const fields: Record<string, unknown> = { amount, date: '2026-03-10' };
    if (fee !== undefined) fields[COLLECTION_FEE_FIELD] = fee;
    const confirmed = await ws.call('contact:confirm-identity', { attemptId });
    if (!confirmed.ok) throw new Error(confirmed.error.message);
    return ws.call<{ interactionId: string }>('wrapup:save', { attemptId, code: 'PP', fields, note: null });
  }

  it('saves a fee within the disclosed schedule', async () => {
    const attemptId = await dialDebtor({ collectionFeeTerms: DISCLOSED_10 });
    // 10 % of the 1.000.000 collected is 100.000, so the promise of 1.100.000 may include it.
    const result = await promise(attemptId, 110_000_000, 10_000_000);
    expect(result.ok).toBe(true);
  });

  it('saves a promise without a fee whatever the terms', async () => {
    const attemptId = await dialDebtor({});
    expect((await promise(attemptId, 110_000_000)).ok).toBe(true);
  });

  it.each([
    { case: 'a fee above the schedule', terms: { collectionFeeTerms: DISCLOSED_10 }, amount: 110_000_000, fee: 15_000_000, text: 'superan la tarifa informada' },
    { case: 'an undisclosed schedule', terms: { collectionFeeTerms: { ...DISCLOSED_10, disclosedToDebtor: false } }, amount: 110_000_000, fee: 1_000_000, text: 'no se informó al deudor' },
    { case: 'a mortgage before litigation', terms: { product: 'mortgage' as const, collectionFeeTerms: DISCLOSED_10 }, amount: 110_000_000, fee: 1_000_000, text: 'créditos de vivienda' },
    { case: 'no schedule on file', terms: {}, amount: 110_000_000, fee: 1_000_000, text: 'no tiene tabla de gastos de cobranza registrada' },
    { case: 'a fee as large as the promise', terms: { collectionFeeTerms: DISCLOSED_10 }, amount: 10_000_000, fee: 10_000_000, text: 'no puede ser igual o mayor que el valor pactado' },
  ])('rejects $case naming the field', async ({ terms, amount, fee, text }) => {
    const attemptId = await dialDebtor(terms);
    const result = await promise(attemptId, amount, fee);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(Object.keys(result.error.fields ?? {})).toEqual([COLLECTION_FEE_FIELD]);
      expect(result.error.fields?.[COLLECTION_FEE_FIELD]).toMatch(/^Gastos de cobranza incluidos: /);
      expect(result.error.fields?.[COLLECTION_FEE_FIELD]).toContain(text);
    }
    expect(withStore(dir, (store) => store.attempts.pending())?.id).toBe(attemptId);
  });
});

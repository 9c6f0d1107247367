import { formatCop } from '@gestiona/core/format';
import type { PaymentSnapshot, PromiseSnapshot } from '@gestiona/core/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { LocalStore } from '../store/local-store.ts';
import { makeDebtor, seedEntries } from '../test-support/fixtures.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { buildDebtorTimeline } from './debtor-timeline.ts';
import { BROKEN_TEXT, DUE_TODAY_TEXT, promiseFollowUp } from './promises.ts';

const PROMISE_ID = '5b0c3f3e-7c55-4b43-9d2a-6f4f1d0a0001';
const AGREEMENT_ID = '5b0c3f3e-7c55-4b43-9d2a-6f4f1d0a0002';

function promise(overrides: Partial<PromiseSnapshot> = {}): PromiseSnapshot {
  return {
    id: PROMISE_ID,
    debtorId: 'd1',
    kind: 'promise',
    code: 'PP',
    agentId: 'u-1',
    obligationIds: ['d1-o1'],
    amountCents: 50_000_000,
    paidCents: 0,
    excessCents: 0,
    madeAt: '2026-12-04T15:00:00.000Z',
    status: 'pending',
    statusChangedAt: '2026-12-04T15:00:05.000Z',
    statusReason: 'Promesa de pago (PP) registrada: $ 500.000 para el 10/12/2026.',
    instalments: [{ number: 1, dueOn: '2026-12-10', amountCents: 50_000_000, paidCents: 0, status: 'pending' }],
    ...overrides,
  };
}

function agreement(overrides: Partial<PromiseSnapshot> = {}): PromiseSnapshot {
  return promise({
    id: AGREEMENT_ID,
    kind: 'agreement',
    code: 'AP',
    amountCents: 60_000_000,
    madeAt: '2026-12-05T15:00:00.000Z',
    instalments: [
      { number: 1, dueOn: '2026-12-15', amountCents: 30_000_000, paidCents: 0, status: 'pending' },
      { number: 2, dueOn: '2027-01-15', amountCents: 30_000_000, paidCents: 0, status: 'pending' },
    ],
    ...overrides,
  });
}

const PAYMENT: PaymentSnapshot = {
  id: '17',
  debtorId: 'd1',
  obligationId: 'd1-o1',
  paidOn: '2026-12-08',
  amountCents: 60_000_000,
  reference: 'R-1',
  promiseId: PROMISE_ID,
  note: 'Excedente de $ 100.000 sobre lo prometido.',
  importedAt: '2026-12-09T14:00:00.000Z',
};

describe('promises on the workstation', () => {
  let dir: string;
  let store: LocalStore;
  let seq: number;

  beforeEach(() => {
    dir = makeTempDir();
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
    const entries = seedEntries([makeDebtor('d1'), makeDebtor('d2')]);
    applyFeedBatch(store, entries, entries.length);
    seq = entries.length;
  });

  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  function apply(...entries: Array<{ type: 'promise.upsert'; payload: PromiseSnapshot } | { type: 'payment.add'; payload: PaymentSnapshot }>) {
    const numbered = entries.map((entry) => ({ ...entry, seq: ++seq }));
    return applyFeedBatch(store, numbered, seq);
  }

  it('feed stores and replaces promises', () => {
    expect(apply({ type: 'promise.upsert', payload: promise() }).debtorsChanged).toEqual(['d1']);
    apply({ type: 'promise.upsert', payload: promise({ status: 'kept', paidCents: 50_000_000 }) }, { type: 'payment.add', payload: PAYMENT });
    expect(store.promises.forDebtor('d1')).toMatchObject([{ id: PROMISE_ID, status: 'kept', paidCents: 50_000_000 }]);
    expect(store.promises.paymentsForDebtor('d1')).toEqual([PAYMENT]);
    expect(store.promises.forDebtor('d2')).toEqual([]);
  });

  it('feed rejects an invalid promise', () => {
    expect(() => applyFeedBatch(store, [{ seq: seq + 1, type: 'promise.upsert', payload: { ...promise(), amountCents: -1 } }], seq + 1)).toThrow(/amountCents/);
  });

  it('removal deletes promises and payments', () => {
    apply({ type: 'promise.upsert', payload: promise() }, { type: 'payment.add', payload: PAYMENT });
    applyFeedBatch(store, [{ seq: ++seq, type: 'debtor.remove', payload: { debtorId: 'd1', reason: 'lease-ended' } }], seq);
    expect(store.promises.forDebtor('d1')).toEqual([]);
    expect(store.promises.paymentsForDebtor('d1')).toEqual([]);
  });

  it('debtor upsert keeps promises', () => {
    apply({ type: 'promise.upsert', payload: promise() });
    applyFeedBatch(store, [{ seq: ++seq, type: 'debtor.upsert', payload: makeDebtor('d1', { priority: 99 }) }], seq);
    expect(store.promises.forDebtor('d1')).toHaveLength(1);
  });

  it('orphan purge and wipe', () => {
    apply({ type: 'promise.upsert', payload: promise() }, { type: 'promise.upsert', payload: promise({ id: 'other', debtorId: 'gone' }) });
    expect(store.promises.purgeOrphans()).toBe(1);
    expect(store.promises.forDebtor('gone')).toEqual([]);
    expect(store.promises.forDebtor('d1')).toHaveLength(1);
    store.wipeAgentData();
    expect(store.promises.forDebtor('d1')).toEqual([]);
  });

  const followUps: Array<{ name: string; promises: PromiseSnapshot[]; today: string; expected: ReturnType<typeof promiseFollowUp> }> = [
    { name: 'nothing before due day', promises: [promise()], today: '2026-12-09', expected: null },
    { name: 'promise due today', promises: [promise()], today: '2026-12-10', expected: { kind: 'due-today', text: DUE_TODAY_TEXT } },
    { name: 'kept promise due today', promises: [promise({ status: 'kept', instalments: [{ ...promise().instalments[0]!, status: 'kept' }] })], today: '2026-12-10', expected: null },
    { name: 'agreement instalment due', promises: [agreement()], today: '2027-01-15', expected: { kind: 'due-today', text: 'Seguimiento: cuota 2 del acuerdo vence hoy' } },
    { name: 'broken promise', promises: [promise({ status: 'broken' })], today: '2026-12-20', expected: { kind: 'broken', text: BROKEN_TEXT } },
    { name: 'broken then newer promise', promises: [promise({ status: 'broken' }), agreement()], today: '2026-12-20', expected: null },
  ];

  it.each(followUps)('follow-up: $name', ({ promises, today, expected }) => {
    apply(...promises.map((payload) => ({ type: 'promise.upsert' as const, payload })));
    expect(promiseFollowUp(store, 'd1', today)).toEqual(expected);
  });

  it('timeline lists promises and payments newest first', () => {
    apply({ type: 'promise.upsert', payload: promise({ status: 'kept', paidCents: 60_000_000, excessCents: 10_000_000, statusChangedAt: '2026-12-09T14:00:00.000Z', statusReason: 'Promesa cumplida: pagó $ 600.000 de $ 500.000.' }) }, { type: 'payment.add', payload: PAYMENT });
    const timeline = buildDebtorTimeline({ store, debtor: store.debtors.get('d1')!, catalog: store.referenceData.catalog(), amountsVisible: true });
    expect(timeline.map((entry) => entry.id)).toEqual([`promise-status:${PROMISE_ID}`, 'payment:17', `promise:${PROMISE_ID}`]);
    expect(timeline[0]).toMatchObject({ title: 'Promesa de pago cumplida', status: 'kept', detail: 'Promesa cumplida: pagó $ 600.000 de $ 500.000.' });
    expect(timeline[1]).toMatchObject({ title: `Pago recibido: ${formatCop(60_000_000)}`, dateOnly: true, amountsHidden: false });
    expect(timeline[2]!.detail).toContain(`${formatCop(50_000_000)} para el 10/12/2026`);
  });

  it('timeline hides amounts before identity', () => {
    apply({ type: 'promise.upsert', payload: promise({ status: 'broken' }) }, { type: 'payment.add', payload: PAYMENT });
    const timeline = buildDebtorTimeline({ store, debtor: store.debtors.get('d1')!, catalog: store.referenceData.catalog(), amountsVisible: false });
    const texts = timeline.map((entry) => `${entry.title} ${entry.detail ?? ''}`).join('\n');
    expect(texts).not.toContain('$');
    expect(timeline.filter((entry) => entry.kind !== 'contact').every((entry) => entry.amountsHidden)).toBe(true);
    expect(timeline.find((entry) => entry.kind === 'payment')!.title).toBe('Pago recibido');
  });
});

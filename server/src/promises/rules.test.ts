import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  allocatePayments,
  evaluatePromises,
  instalmentStatus,
  overallStatus,
  PARTLY_KEPT_MIN_PERCENT,
  PROMISE_GRACE_DAYS,
  type PaymentFact,
  type PromiseStatus,
  type PromiseTerms,
} from './rules.ts';

const OBLIGATION = 'ob-1';
const OTHER_OBLIGATION = 'ob-2';

function promise(id: string, dueOn: string, amountCents: number, madeOn = '2026-12-01', obligationIds = [OBLIGATION]): PromiseTerms {
  return { id, madeOn, madeAt: `${madeOn}T15:00:00.000Z`, obligationIds, instalments: [{ number: 1, dueOn, amountCents }] };
}

function agreement(id: string, plan: Array<[string, number]>, madeOn = '2026-12-01'): PromiseTerms {
  return {
    id,
    madeOn,
    madeAt: `${madeOn}T15:00:00.000Z`,
    obligationIds: [OBLIGATION],
    instalments: plan.map(([dueOn, amountCents], index) => ({ number: index + 1, dueOn, amountCents })),
  };
}

let paymentCounter = 0;
function payment(paidOn: string, amountCents: number, obligationId = OBLIGATION): PaymentFact {
  paymentCounter += 1;
  return { id: `p-${paymentCounter}`, obligationId, paidOn, amountCents, reference: `REF-${String(paymentCounter).padStart(4, '0')}` };
}

describe('promise rules', () => {
  it('grace and threshold constants', () => {
    expect(PROMISE_GRACE_DAYS).toBe(3);
    expect(PARTLY_KEPT_MIN_PERCENT).toBe(50);
    expect(addCalendarDays('2026-12-30', PROMISE_GRACE_DAYS)).toBe('2027-01-02');
  });

  // One promise of $1.000.000 due 10/12/2026 (grace to 13/12), judged on `today`.
  const single: Array<{ name: string; payments: Array<[string, number]>; today: string; status: PromiseStatus; paid: number; excess: number }> = [
    { name: 'no payment before due', payments: [], today: '2026-12-10', status: 'pending', paid: 0, excess: 0 },
    { name: 'no payment last grace day', payments: [], today: '2026-12-13', status: 'pending', paid: 0, excess: 0 },
    { name: 'no payment after grace', payments: [], today: '2026-12-14', status: 'broken', paid: 0, excess: 0 },
    { name: 'paid in full on due date', payments: [['2026-12-10', 100_000_000]], today: '2026-12-10', status: 'kept', paid: 100_000_000, excess: 0 },
    { name: 'early payment counts', payments: [['2026-12-02', 100_000_000]], today: '2026-12-02', status: 'kept', paid: 100_000_000, excess: 0 },
    { name: 'payment on promise day counts', payments: [['2026-12-01', 100_000_000]], today: '2026-12-20', status: 'kept', paid: 100_000_000, excess: 0 },
    { name: 'payment before promise ignored', payments: [['2026-11-30', 100_000_000]], today: '2026-12-20', status: 'broken', paid: 0, excess: 0 },
    { name: 'late within grace', payments: [['2026-12-13', 100_000_000]], today: '2026-12-20', status: 'kept', paid: 100_000_000, excess: 0 },
    { name: 'late after grace', payments: [['2026-12-14', 100_000_000]], today: '2026-12-20', status: 'broken', paid: 0, excess: 0 },
    { name: 'partial pending until grace', payments: [['2026-12-05', 60_000_000]], today: '2026-12-13', status: 'pending', paid: 60_000_000, excess: 0 },
    { name: 'partial above threshold', payments: [['2026-12-05', 60_000_000]], today: '2026-12-14', status: 'partly-kept', paid: 60_000_000, excess: 0 },
    { name: 'partial exactly threshold', payments: [['2026-12-05', 50_000_000]], today: '2026-12-14', status: 'partly-kept', paid: 50_000_000, excess: 0 },
    { name: 'partial below threshold', payments: [['2026-12-05', 49_999_999]], today: '2026-12-14', status: 'broken', paid: 49_999_999, excess: 0 },
    { name: 'two partials add up', payments: [['2026-12-05', 40_000_000], ['2026-12-12', 60_000_000]], today: '2026-12-14', status: 'kept', paid: 100_000_000, excess: 0 },
    { name: 'overpayment kept with excess', payments: [['2026-12-09', 120_000_000]], today: '2026-12-09', status: 'kept', paid: 120_000_000, excess: 20_000_000 },
    { name: 'payment on other obligation', payments: [], today: '2026-12-14', status: 'broken', paid: 0, excess: 0 },
  ];

  it.each(single)('single promise: $name', ({ payments, today, status, paid, excess }) => {
    const { promises } = evaluatePromises([promise('pp', '2026-12-10', 100_000_000)], payments.map(([paidOn, cents]) => payment(paidOn, cents)), today);
    expect(promises[0]!.status).toBe(status);
    expect(promises[0]!.paidCents).toBe(paid);
    expect(promises[0]!.excessCents).toBe(excess);
  });

  const unmatched: Array<{ name: string; promises: PromiseTerms[]; payment: PaymentFact; reason: string }> = [
    { name: 'no promise at all', promises: [], payment: payment('2026-12-05', 1000), reason: 'no-promise' },
    { name: 'promise on another obligation', promises: [promise('pp', '2026-12-10', 1000)], payment: payment('2026-12-05', 1000, OTHER_OBLIGATION), reason: 'no-promise' },
    { name: 'paid before the promise', promises: [promise('pp', '2026-12-10', 1000)], payment: payment('2026-11-20', 1000), reason: 'before-promise' },
    { name: 'paid after the grace', promises: [promise('pp', '2026-12-10', 1000)], payment: payment('2026-12-14', 1000), reason: 'after-grace' },
  ];

  it.each(unmatched)('unmatched payment: $name', ({ promises, payment: fact, reason }) => {
    const result = allocatePayments(promises, [fact]);
    expect(result.allocations).toEqual([]);
    expect(result.payments[0]!.unmatched).toBe(reason);
    expect(result.payments[0]!.promiseId).toBeNull();
  });

  it('two promises paid in due order', () => {
    const first = promise('first', '2026-12-10', 30_000_000);
    const second = promise('second', '2026-12-20', 50_000_000, '2026-12-02');
    const { promises, allocation } = evaluatePromises([second, first], [payment('2026-12-08', 50_000_000)], '2026-12-24');
    const byId = new Map(promises.map((entry) => [entry.id, entry]));
    expect(byId.get('first')!.status).toBe('kept');
    expect(byId.get('first')!.paidCents).toBe(30_000_000);
    expect(byId.get('second')!.paidCents).toBe(20_000_000);
    expect(byId.get('second')!.status).toBe('broken');
    expect(allocation.allocations.map((share) => share.promiseId)).toEqual(['first', 'second']);
  });

  it('two promises same due date older first', () => {
    const older = promise('older', '2026-12-10', 10_000, '2026-12-01');
    const newer = promise('newer', '2026-12-10', 10_000, '2026-12-03');
    const { promises } = evaluatePromises([newer, older], [payment('2026-12-04', 10_000)], '2026-12-04');
    expect(promises.find((entry) => entry.id === 'older')!.status).toBe('kept');
    expect(promises.find((entry) => entry.id === 'newer')!.status).toBe('pending');
  });

  const plan: Array<[string, number]> = [
    ['2026-12-10', 100_000],
    ['2027-01-10', 100_000],
    ['2027-02-10', 100_000],
  ];

  const agreements: Array<{ name: string; payments: Array<[string, number]>; today: string; instalments: PromiseStatus[]; overall: PromiseStatus }> = [
    { name: 'nothing due yet', payments: [], today: '2026-12-05', instalments: ['pending', 'pending', 'pending'], overall: 'pending' },
    { name: 'first kept', payments: [['2026-12-10', 100_000]], today: '2026-12-20', instalments: ['kept', 'pending', 'pending'], overall: 'pending' },
    { name: 'first missed breaks all', payments: [], today: '2026-12-14', instalments: ['broken', 'pending', 'pending'], overall: 'broken' },
    { name: 'paid ahead fills in order', payments: [['2026-12-05', 250_000]], today: '2026-12-05', instalments: ['kept', 'kept', 'pending'], overall: 'pending' },
    {
      name: 'all kept',
      payments: [['2026-12-10', 100_000], ['2027-01-11', 100_000], ['2027-02-13', 100_000]],
      today: '2027-03-01',
      instalments: ['kept', 'kept', 'kept'],
      overall: 'kept',
    },
    {
      name: 'last partly kept',
      payments: [['2026-12-10', 100_000], ['2027-01-10', 100_000], ['2027-02-10', 70_000]],
      today: '2027-03-01',
      instalments: ['kept', 'kept', 'partly-kept'],
      overall: 'partly-kept',
    },
    {
      name: 'late first counts to second',
      payments: [['2026-12-20', 100_000]],
      today: '2026-12-20',
      instalments: ['broken', 'kept', 'pending'],
      overall: 'broken',
    },
  ];

  it.each(agreements)('agreement: $name', ({ payments, today, instalments, overall }) => {
    const { promises } = evaluatePromises([agreement('ap', plan)], payments.map(([paidOn, cents]) => payment(paidOn, cents)), today);
    expect(promises[0]!.instalments.map((instalment) => instalment.status)).toEqual(instalments);
    expect(promises[0]!.status).toBe(overall);
  });

  it('instalment status boundaries', () => {
    const instalment = { number: 1, dueOn: '2026-12-10', amountCents: 1000 };
    expect(instalmentStatus(instalment, 1000, '2026-12-01')).toBe('kept');
    expect(instalmentStatus(instalment, 999, '2026-12-13')).toBe('pending');
    expect(instalmentStatus(instalment, 500, '2026-12-14')).toBe('partly-kept');
    expect(instalmentStatus(instalment, 499, '2026-12-14')).toBe('broken');
  });

  it('overall status precedence', () => {
    expect(overallStatus(['kept', 'broken', 'pending'])).toBe('broken');
    expect(overallStatus(['kept', 'kept'])).toBe('kept');
    expect(overallStatus(['kept', 'pending'])).toBe('pending');
    expect(overallStatus(['partly-kept', 'kept'])).toBe('partly-kept');
  });

  it('allocation ignores file order', () => {
    const promises = [promise('a', '2026-12-10', 5000), promise('b', '2026-12-12', 5000)];
    const payments = [payment('2026-12-09', 3000), payment('2026-12-05', 4000), payment('2026-12-11', 6000)];
    const forward = evaluatePromises(promises, payments, '2026-12-20').promises;
    const backward = evaluatePromises(promises, [...payments].reverse(), '2026-12-20').promises;
    expect(backward).toEqual(forward);
    expect(forward.map((entry) => entry.paidCents)).toEqual([5000, 8000]);
    expect(forward[1]!.excessCents).toBe(3000);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { debtorViewSchema, ipcContract, type DialResult } from '@gestiona/core/ipc';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import type { FeedEntry } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

/**
 * Two segments. "temprana" calls on days 1, 2 and 3 after the assignment and stops on a promise, a
 * payment or a dispute. "media" only sends an SMS.
 */
const STRATEGY: StrategySet = {
  version: 'prueba-1',
  segments: [
    {
      id: 'temprana',
      name: 'Mora temprana',
      rule: { all: [{ variable: 'daysPastDue', op: 'lte', value: 30 }] },
      strategy: {
        priority: 'daysPastDue',
        scriptId: 'guion-temprana',
        timeline: [
          { id: 'llamada-seguimiento', channel: 'call', anchor: 'assignment', dayOffset: 1, repeat: { everyDays: 1, times: 2 }, stopOn: ['promise-made', 'payment-received', 'dispute-opened'] },
          { id: 'sms-aviso', channel: 'sms', anchor: 'assignment', dayOffset: 0, stopOn: [] },
        ],
      },
    },
    {
      id: 'media',
      name: 'Mora media',
      rule: { all: [] },
      strategy: { priority: 'daysPastDue', scriptId: 'guion-temprana', timeline: [{ id: 'sms-media', channel: 'sms', anchor: 'assignment', dayOffset: 0, stopOn: [] }] },
    },
  ],
};

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
/** Monday 23 March 2026 is a public holiday (San José, moved to Monday). */
const HOLIDAY_10 = '2026-03-23T10:00:00-05:00';

let dir: string;
let ws: OpenedWorkstation | null = null;

afterEach(async () => {
  await ws?.workstation.close();
  ws = null;
  removeDir(dir);
});

/** Seeds d1 (temprana, priority 50), d2 (media, priority 90) and d3 (temprana, no authorised phone), assigned the day before `now`. */
let clock: SettableClock;

async function start(now: string, assignedAt: string, serverEntries: FeedEntry[] = []): Promise<OpenedWorkstation> {
  dir = makeTempDir();
  const unauthorised = makeDebtor('d3', { fullName: 'Carlos Núñez', priority: 10, segmentName: 'Mora temprana', assignedAt });
  unauthorised.contactPoints = unauthorised.contactPoints.map((point) => ({ ...point, authorization: null }));
  seedDataDir(dir, [
    makeDebtor('d1', { fullName: 'María Peña Báez', priority: 50, segment: 'temprana', segmentName: 'Mora temprana', assignedAt, strategyVersion: 'prueba-1' }),
    makeDebtor('d2', { fullName: 'Pedro Ramírez', priority: 90, segment: 'media', segmentName: 'Mora media', assignedAt, strategyVersion: 'prueba-1' }),
    unauthorised,
  ]);
  withStore(dir, (store) => applyFeedBatch(store, [{ seq: 10, type: 'strategy.set', payload: STRATEGY }, ...serverEntries], 10 + serverEntries.length));
  clock = new SettableClock(now);
  ws = await openWorkstation(dir, { clock });
  return ws;
}

async function list(opened: OpenedWorkstation, args: { segment?: string; legalStatus?: 'contactable' | 'contacted-today' | 'outside-hours' | 'blocked' } = {}) {
  const result = await opened.call('worklist:list', { offset: 0, limit: 50, ...args });
  if (!result.ok) throw new Error(result.error.message);
  return ipcContract['worklist:list'].result.parse(result.value);
}

describe('worklist tasks', () => {
  it('puts debtors with a call due first, with the task name', async () => {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    const { items } = await list(opened);

    expect(items.map((item) => item.debtorId)).toEqual(['d1', 'd3', 'd2']);
    expect(items[0]?.segmentName).toBe('Mora temprana');
    expect(items[0]?.task).toMatchObject({ activityId: 'llamada-seguimiento', name: 'Llamada seguimiento', plannedDate: '2026-03-03', allowedNow: true, text: 'Se puede hacer ahora' });
    expect(items[2]?.task).toBeNull();
  });

  it('shows a call that cannot be made legally with no slot', async () => {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    const { items } = await list(opened);
    const task = items.find((item) => item.debtorId === 'd3')?.task;

    expect(task?.allowedNow).toBe(false);
    expect(task?.slotAt).toBeNull();
    expect(task?.text).toContain('No se puede hacer');
  });

  it('moves a call due on a holiday to the next legal slot', async () => {
    const opened = await start(HOLIDAY_10, '2026-03-22T09:00:00-05:00');
    const { items } = await list(opened);
    const task = items.find((item) => item.debtorId === 'd1')?.task;

    expect(task?.plannedDate).toBe('2026-03-23');
    expect(task?.allowedNow).toBe(false);
    expect(task?.slotAt).toBe('2026-03-24T07:00:00-05:00');
    expect(task?.text).toBe('Pasa a mañana 07:00');
  });

  it('drops the task once the call is made', async () => {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    const dialed = await opened.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: '00000000-0000-4000-8000-000000000001' });
    expect(dialed.ok).toBe(true);
    expect(dialed.ok ? dialed.value.outcome : null).toBe('placed');

    const { items } = await list(opened);
    expect(items.find((item) => item.debtorId === 'd1')?.task).toBeNull();
    expect(items.map((item) => item.debtorId)).toEqual(['d3', 'd2', 'd1']);
  });
});

describe('worklist task stop conditions', () => {
  /** Calls d1, typifies the call with `code`, and returns d1's task on the next day. */
  async function taskAfter(code: string, fields: Record<string, unknown>) {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    const dialed = await opened.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: '00000000-0000-4000-8000-000000000003' });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    const attemptId = dialed.value.wrapUp.attemptId;
    await opened.call('contact:confirm-identity', { attemptId });
    const saved = await opened.call('wrapup:save', { attemptId, code, fields, note: null });
    if (!saved.ok) throw new Error(saved.error.message);

    clock.set('2026-03-04T10:00:00-05:00');
    return (await list(opened)).items.find((item) => item.debtorId === 'd1')?.task ?? null;
  }

  it('keeps the next call after an unanswered one', async () => {
    expect(await taskAfter('NC', {})).toMatchObject({ activityId: 'llamada-seguimiento', plannedDate: '2026-03-04' });
  });

  it('stops the calls after a promise', async () => {
    expect(await taskAfter('PP', { amount: 5_000_000, date: '2026-03-10' })).toBeNull();
  });
});

describe('worklist task server stops', () => {
  /** Returns d1's task on the second day when the feed carried `entry` (kind of a stop from the server). */
  async function taskWith(entry: FeedEntry | null) {
    const opened = await start('2026-03-04T10:00:00-05:00', '2026-03-02T09:00:00-05:00', entry === null ? [] : [entry]);
    return (await list(opened)).items.find((item) => item.debtorId === 'd1')?.task ?? null;
  }

  const payment: FeedEntry = {
    seq: 11,
    type: 'payment.add',
    payload: { id: 'pg1', debtorId: 'd1', obligationId: 'd1-o1', paidOn: '2026-03-03', amountCents: 100_000, reference: 'R1', promiseId: null, note: null, importedAt: '2026-03-03T20:00:00-05:00' },
  };
  const dispute: FeedEntry = { seq: 11, type: 'hold.set', payload: { debtorId: 'd1', holds: [{ kind: 'dispute', since: '2026-03-03T11:00:00-05:00', code: 'RC' }] } };
  const deceased: FeedEntry = { seq: 11, type: 'hold.set', payload: { debtorId: 'd1', holds: [{ kind: 'stopped', since: '2026-03-03T11:00:00-05:00', code: 'FA' }] } };

  it('keeps the call without a stop', async () => {
    expect(await taskWith(null)).toMatchObject({ activityId: 'llamada-seguimiento' });
  });

  it.each<[string, FeedEntry]>([
    ['a payment', payment],
    ['a dispute hold', dispute],
    ['a deceased hold', deceased],
  ])('stops the calls after %s', async (_name, entry) => {
    expect(await taskWith(entry)).toBeNull();
  });

  it.each<['pending' | 'broken', boolean]>([
    ['pending', true],
    ['broken', false],
  ])('reads a %s server promise', async (status, stops) => {
    const promise: FeedEntry = {
      seq: 11,
      type: 'promise.upsert',
      payload: {
        id: 'i-otra-estacion',
        debtorId: 'd1',
        kind: 'promise',
        code: 'PP',
        agentId: 'agent-2',
        obligationIds: ['d1-o1'],
        amountCents: 5_000_000,
        paidCents: 0,
        excessCents: 0,
        madeAt: '2026-03-03T11:00:00-05:00',
        status,
        statusChangedAt: '2026-03-03T11:00:00-05:00',
        statusReason: 'Promesa registrada',
        instalments: [{ number: 1, dueOn: '2026-03-10', amountCents: 5_000_000, paidCents: 0, status }],
      },
    };
    const task = await taskWith(promise);
    expect(task === null).toBe(stops);
  });

  it('keeps the calls once a hold is lifted', async () => {
    const lifted: FeedEntry = { seq: 12, type: 'hold.set', payload: { debtorId: 'd1', holds: [] } };
    const opened = await start('2026-03-04T10:00:00-05:00', '2026-03-02T09:00:00-05:00', [dispute, lifted]);
    expect((await list(opened)).items.find((item) => item.debtorId === 'd1')?.task).toMatchObject({ activityId: 'llamada-seguimiento' });
  });
});

describe('worklist filters', () => {
  it('filters by segment', async () => {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    const { items, total } = await list(opened, { segment: 'media' });
    expect(items.map((item) => item.debtorId)).toEqual(['d2']);
    expect(total).toBe(1);
  });

  it.each<['contactable' | 'blocked' | 'outside-hours', string[]]>([
    ['contactable', ['d1', 'd2']],
    ['blocked', ['d3']],
    ['outside-hours', []],
  ])('filters by legal status %s', async (legalStatus, expected) => {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    const { items, total } = await list(opened, { legalStatus });
    expect(items.map((item) => item.debtorId)).toEqual(expected);
    expect(total).toBe(expected.length);
    expect(items.every((item) => item.legalStatus === legalStatus)).toBe(true);
  });

  it('files a held debtor under blocked', async () => {
    const hold: FeedEntry = { seq: 11, type: 'hold.set', payload: { debtorId: 'd1', holds: [{ kind: 'dispute', since: '2026-03-03T09:00:00-05:00', code: 'RC' }] } };
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00', [hold]);
    expect((await list(opened, { legalStatus: 'contactable' })).items.map((item) => item.debtorId)).toEqual(['d2']);
    // The dispute also stopped d1's calls, so d3, whose call is still due, comes first.
    expect((await list(opened, { legalStatus: 'blocked' })).items.map((item) => item.debtorId)).toEqual(['d3', 'd1']);
  });

  it('moves a debtor to contacted-today after a dial', async () => {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    expect((await list(opened, { legalStatus: 'contacted-today' })).items).toEqual([]);
    await opened.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: '00000000-0000-4000-8000-000000000002' });

    const { items } = await list(opened, { legalStatus: 'contacted-today' });
    expect(items.map((item) => item.debtorId)).toEqual(['d1']);
  });
});

describe('strategy plan in the debtor view', () => {
  it('lists every activity with its date and legal state', async () => {
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00');
    const result = await opened.call('debtor:open', { debtorId: 'd1' });
    if (!result.ok) throw new Error(result.error.message);
    const plan = debtorViewSchema.parse(result.value).strategyPlan;

    expect(plan?.segmentName).toBe('Mora temprana');
    expect(plan?.strategyVersion).toBe('prueba-1');
    expect(plan?.activities.map((activity) => `${activity.activityId}#${activity.number} ${activity.date} ${activity.state}`)).toEqual([
      'sms-aviso#1 2026-03-02 due',
      'llamada-seguimiento#1 2026-03-03 due',
      'llamada-seguimiento#2 2026-03-04 planned',
      'llamada-seguimiento#3 2026-03-05 planned',
    ]);
    expect(plan?.activities[1]?.text).toBe('Se puede hacer ahora');
  });

  it('shows the SMS the server sent as done with its date', async () => {
    const sent: FeedEntry = {
      seq: 11,
      type: 'ledger.add',
      payload: {
        id: 'channel-send:s-1',
        debtorId: 'd1',
        personId: 'd1-p1',
        channel: 'sms',
        kind: 'attempt',
        at: '2026-03-02T10:15:00-05:00',
        activity: { activityId: 'sms-aviso', occurrenceDate: '2026-03-02' },
      },
    };
    const opened = await start(TUESDAY_10, '2026-03-02T09:00:00-05:00', [sent]);
    const result = await opened.call('debtor:open', { debtorId: 'd1' });
    if (!result.ok) throw new Error(result.error.message);
    const plan = debtorViewSchema.parse(result.value).strategyPlan;

    expect(plan?.activities[0]).toMatchObject({ activityId: 'sms-aviso', date: '2026-03-02', state: 'done', text: 'Enviada por el servidor el 02/03/2026 10:15' });
  });
});

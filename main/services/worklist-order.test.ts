import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSchema } from '@gestiona/core/catalog';
import { ipcContract, type DialResult } from '@gestiona/core/ipc';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import type { FeedEntry, PromiseSnapshot } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

/** "temprana" calls every day from the assignment on; "media" only sends an SMS, so its debtors never have a call task. */
const STRATEGY: StrategySet = {
  version: 'orden-1',
  segments: [
    {
      id: 'temprana',
      name: 'Mora temprana',
      rule: { all: [{ variable: 'daysPastDue', op: 'lte', value: 30 }] },
      strategy: {
        priority: 'daysPastDue',
        scriptId: 'guion-temprana',
        timeline: [{ id: 'llamada-diaria', channel: 'call', anchor: 'assignment', dayOffset: 0, repeat: { everyDays: 1, times: 30 }, stopOn: [] }],
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

const SHIPPED = catalogSchema.parse(JSON.parse(readFileSync(new URL('../../resources/catalog.json', import.meta.url), 'utf8')));
const MONDAY_10 = '2026-03-02T10:00:00-05:00';
const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const WEDNESDAY_10 = '2026-03-04T10:00:00-05:00';
const ASSIGNED = '2026-03-01T09:00:00-05:00';

function debtor(id: string, fullName: string, priority: number, segment: 'temprana' | 'media', authorised = true) {
  const snapshot = makeDebtor(id, { fullName, priority, segment, segmentName: segment === 'temprana' ? 'Mora temprana' : 'Mora media', assignedAt: ASSIGNED, strategyVersion: STRATEGY.version });
  if (!authorised) snapshot.contactPoints = snapshot.contactPoints.map((point) => ({ ...point, authorization: null }));
  return snapshot;
}

function promise(id: string, debtorId: string, overrides: Partial<PromiseSnapshot>): PromiseSnapshot {
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
    madeAt: '2026-02-20T15:00:00.000Z',
    status: 'pending',
    statusChangedAt: '2026-02-20T15:00:05.000Z',
    statusReason: 'Promesa de pago (PP) registrada.',
    instalments: [{ number: 1, dueOn: '2026-03-04', amountCents: 50_000_000, paidCents: 0, status: 'pending' }],
    ...overrides,
  };
}

/**
 * Wednesday 4 March 2026, 10:00. Follow-ups, oldest due first: a callback agreed for Tuesday 09:00
 * and never made, two promises due today (a local one of higher priority and the server's), a
 * callback for today 08:00 of a debtor whose promise broke, and a callback for today 15:00. Then the
 * daily calls of "temprana" by priority, then the rest by priority: among them a callback a later
 * call settled and a promise broken on 27 February.
 */
const FULL_ORDER = ['cb-old', 'p-local', 'p-due', 'broken-cb', 'cb-today', 'task-hi', 'task-lo', 'rest-hi', 'cb-done', 'rest-lo', 'broken'];

describe('worklist order', () => {
  let dir: string;
  let clock: SettableClock;
  let ws: OpenedWorkstation;
  let requests = 0;

  async function typify(debtorId: string, code: string, fields: Record<string, unknown>): Promise<void> {
    requests += 1;
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId, contactPointId: `${debtorId}-c1`, requestId: `00000000-0000-4000-8000-${String(requests).padStart(12, '0')}` });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error(`setup: the call to ${debtorId} was not placed`);
    await ws.call('contact:confirm-identity', { attemptId: dialed.value.wrapUp.attemptId });
    const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code, fields, note: null });
    if (!saved.ok) throw new Error(`setup: ${code} for ${debtorId} was not saved: ${saved.error.message}`);
  }

  beforeAll(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [
      debtor('broken', 'Beatriz Rojas', 5, 'media', false),
      debtor('cb-old', 'Camilo Ortiz', 15, 'media'),
      debtor('p-local', 'Lorena Díaz', 60, 'media'),
      debtor('p-due', 'Pablo Duarte', 10, 'temprana'),
      debtor('cb-today', 'Carolina Vélez', 3, 'media'),
      debtor('broken-cb', 'Bernardo Cano', 50, 'media'),
      debtor('task-hi', 'Tomás Herrera', 70, 'temprana'),
      debtor('task-lo', 'Teresa López', 40, 'temprana'),
      debtor('rest-hi', 'Rosa Henao', 95, 'media'),
      debtor('cb-done', 'Cecilia Duque', 30, 'media'),
      debtor('rest-lo', 'Raúl Lara', 20, 'media', false),
    ]);
    const serverEntries: FeedEntry[] = [
      { seq: 50, type: 'catalog.set', payload: SHIPPED },
      { seq: 51, type: 'strategy.set', payload: STRATEGY },
      {
        seq: 52,
        type: 'promise.upsert',
        payload: promise('5b0c3f3e-7c55-4b43-9d2a-6f4f1d0a0101', 'broken', {
          status: 'broken',
          instalments: [{ number: 1, dueOn: '2026-02-27', amountCents: 50_000_000, paidCents: 0, status: 'broken' }],
        }),
      },
      { seq: 53, type: 'promise.upsert', payload: promise('5b0c3f3e-7c55-4b43-9d2a-6f4f1d0a0102', 'p-due', {}) },
      {
        seq: 54,
        type: 'promise.upsert',
        payload: promise('5b0c3f3e-7c55-4b43-9d2a-6f4f1d0a0103', 'broken-cb', {
          status: 'broken',
          instalments: [{ number: 1, dueOn: '2026-02-27', amountCents: 50_000_000, paidCents: 0, status: 'broken' }],
        }),
      },
    ];
    withStore(dir, (store) => applyFeedBatch(store, serverEntries, 54));

    clock = new SettableClock(MONDAY_10);
    ws = await openWorkstation(dir, { clock });
    await typify('cb-old', 'VL', { callbackAt: '2026-03-03T09:00:00-05:00' });
    await typify('cb-done', 'VL', { callbackAt: '2026-03-03T09:00:00-05:00' });
    clock.set(TUESDAY_10);
    await typify('cb-done', 'NC', {});
    await typify('cb-today', 'VL', { callbackAt: '2026-03-04T15:00:00-05:00' });
    await typify('broken-cb', 'VL', { callbackAt: '2026-03-04T08:00:00-05:00' });
    await typify('p-local', 'PP', { amount: 5_000_000, date: '2026-03-04' });
    clock.set(WEDNESDAY_10);
  });

  afterAll(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function list(args: { offset?: number; limit?: number; search?: string; segment?: string; legalStatus?: 'contactable' | 'blocked' } = {}) {
    const result = await ws.call('worklist:list', { offset: 0, limit: 50, ...args });
    if (!result.ok) throw new Error(result.error.message);
    return ipcContract['worklist:list'].result.parse(result.value);
  }

  it('lists follow-ups, call tasks, then the rest', async () => {
    const { items, total } = await list();
    expect(items.map((item) => item.debtorId)).toEqual(FULL_ORDER);
    expect(total).toBe(FULL_ORDER.length);
  });

  it.each([
    { debtorId: 'broken', followUp: { kind: 'broken', text: 'Promesa incumplida' } },
    { debtorId: 'cb-old', followUp: { kind: 'callback', text: 'Seguimiento: volver a llamar (pactado para el 03/03/2026 09:00)' } },
    { debtorId: 'p-local', followUp: { kind: 'due-today', text: 'Seguimiento: promesa vence hoy' } },
    { debtorId: 'p-due', followUp: { kind: 'due-today', text: 'Seguimiento: promesa vence hoy' } },
    { debtorId: 'cb-today', followUp: { kind: 'callback', text: 'Seguimiento: volver a llamar hoy 15:00' } },
    { debtorId: 'broken-cb', followUp: { kind: 'callback', text: 'Seguimiento: volver a llamar hoy 08:00' } },
    { debtorId: 'task-hi', followUp: null },
    { debtorId: 'cb-done', followUp: null },
  ])('tags $debtorId with its follow-up', async ({ debtorId, followUp }) => {
    const item = (await list()).items.find((candidate) => candidate.debtorId === debtorId);
    expect(item?.followUp ?? null).toEqual(followUp);
  });

  it('keeps the call task of a debtor listed as a follow-up', async () => {
    const item = (await list()).items.find((candidate) => candidate.debtorId === 'p-due');
    expect(item?.task?.activityId).toBe('llamada-diaria');
  });

  it.each([
    { offset: 0, limit: 3 },
    { offset: 3, limit: 3 },
    { offset: 4, limit: 2 },
    { offset: 5, limit: 1 },
    { offset: 5, limit: 3 },
    { offset: 6, limit: 3 },
    { offset: 7, limit: 1 },
    { offset: 8, limit: 5 },
    { offset: 11, limit: 5 },
  ])('pages from $offset by $limit as the full order', async ({ offset, limit }) => {
    const { items, total } = await list({ offset, limit });
    expect(items.map((item) => item.debtorId)).toEqual(FULL_ORDER.slice(offset, offset + limit));
    expect(total).toBe(FULL_ORDER.length);
  });

  it.each([
    { name: 'segment', args: { segment: 'temprana' }, expected: ['p-due', 'task-hi', 'task-lo'] },
    { name: 'search', args: { search: 'duque' }, expected: ['cb-done'] },
    { name: 'search among follow-ups', args: { search: 'rojas' }, expected: ['broken'] },
    { name: 'legal status', args: { legalStatus: 'blocked' as const }, expected: ['rest-lo', 'broken'] },
    { name: 'legal status with a follow-up', args: { legalStatus: 'contactable' as const, limit: 3 }, expected: ['cb-old', 'p-local', 'p-due'] },
    { name: 'segment, across the follow-ups end', args: { segment: 'media', offset: 3, limit: 3 }, expected: ['cb-today', 'rest-hi', 'cb-done'] },
    { name: 'segment, after the follow-ups', args: { segment: 'media', offset: 4, limit: 4 }, expected: ['rest-hi', 'cb-done', 'rest-lo', 'broken'] },
  ])('filters by $name with follow-ups first', async ({ args, expected }) => {
    const { items } = await list(args);
    expect(items.map((item) => item.debtorId)).toEqual(expected);
  });

  it('moves a callback out of the follow-ups once the debtor is called', async () => {
    await typify('cb-today', 'NC', {});
    const { items } = await list();
    expect(items.map((item) => item.debtorId)).toEqual(['cb-old', 'p-local', 'p-due', 'broken-cb', 'task-hi', 'task-lo', 'rest-hi', 'cb-done', 'rest-lo', 'broken', 'cb-today']);
  });
});

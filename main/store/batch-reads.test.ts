import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import type { FeedEntry } from '@gestiona/core/sync';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { makeDebtor, seedEntries } from '../test-support/fixtures.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { applyFeedBatch } from './feed.ts';
import { LocalStore } from './local-store.ts';

const DEBTORS = 12;
const BASE_MS = Date.parse('2026-03-03T10:00:00-05:00');
const HOUR_MS = 3_600_000;

/** Debtors that differ in what each batch read returns: obligations, persons abroad, points, contacts, holds and promises. */
function variedDebtor(index: number): DebtorSnapshot {
  const debtor = makeDebtor(`d${index}`, { fullName: `Deudor ${index}`, priority: index });
  const extra = index % 3;
  for (let number = 2; number <= 1 + extra; number += 1) debtor.obligations.push({ ...debtor.obligations[0]!, id: `d${index}-o${number}`, dueDate: null, balanceCents: 1_000 * number });
  if (index % 4 === 1) debtor.persons = debtor.persons.map((person) => (person.role === 'debtor' ? { ...person, residenceCountry: 'ES', timeZones: ['Europe/Madrid'] } : person));
  if (index % 4 === 3) {
    const email = { id: `d${index}-c9`, personId: `d${index}-p1`, channel: 'email' as const, address: `deudor${index}@correo.co`, authorization: null, flagged: null };
    debtor.contactPoints = [...debtor.contactPoints, email];
  }
  if (index % 5 === 2) debtor.contactPoints = debtor.contactPoints.map((point) => ({ ...point, flagged: point.id.endsWith('c1') ? 'Número equivocado' : null }));
  return debtor;
}

function feed(): FeedEntry[] {
  const entries = seedEntries(Array.from({ length: DEBTORS }, (_unused, index) => variedDebtor(index)));
  let seq = entries.length;
  for (let index = 0; index < DEBTORS; index += 1) {
    // 0 to 4 contacts per debtor over the last 10 days, with the holder and the co-obligor, two at the same instant.
    for (let contact = 0; contact < index % 5; contact += 1) {
      const at = new Date(BASE_MS - ((index * 7 + contact * 31) % 240) * HOUR_MS - (contact === 3 ? 0 : contact) * 60_000).toISOString();
      seq += 1;
      entries.push({ seq, type: 'ledger.add', payload: { id: `l-${index}-${contact}`, debtorId: `d${index}`, personId: `d${index}-p${1 + (contact % 2)}`, channel: 'voice', kind: contact % 2 === 0 ? 'attempt' : 'two-way', at } });
    }
    if (index % 3 === 0) {
      seq += 1;
      const holds = index % 2 === 0 ? [{ kind: 'dispute' as const, code: 'RC', since: '2026-03-01T15:00:00.000Z' }, { kind: 'stopped' as const, code: 'FA', since: '2026-03-02T15:00:00.000Z' }] : [{ kind: 'dispute' as const, code: 'RC', since: '2026-03-01T15:00:00.000Z' }];
      entries.push({ seq, type: 'hold.set', payload: { debtorId: `d${index}`, holds } });
    }
    for (let made = 0; made < index % 3; made += 1) {
      seq += 1;
      entries.push({
        seq,
        type: 'promise.upsert',
        payload: {
          id: `5b0c3f3e-7c55-4b43-9d2a-6f4f1d0a${String(index * 10 + made).padStart(4, '0')}`,
          debtorId: `d${index}`,
          kind: 'promise',
          code: 'PP',
          agentId: 'u-1',
          obligationIds: [`d${index}-o1`],
          amountCents: 1_000_000,
          paidCents: 0,
          excessCents: 0,
          madeAt: `2026-02-2${made}T15:00:00.000Z`,
          status: made === 0 ? 'broken' : 'pending',
          statusChangedAt: '2026-02-25T15:00:00.000Z',
          statusReason: 'Promesa de pago (PP) registrada.',
          instalments: [{ number: 1, dueOn: '2026-03-03', amountCents: 1_000_000, paidCents: 0, status: made === 0 ? 'broken' : 'pending' }],
        },
      });
    }
  }
  return entries;
}

/** Lists of debtor ids as the worklist passes them: any order, repeats, and ids no longer stored. */
const debtorIds = fc.array(fc.oneof(fc.integer({ min: 0, max: DEBTORS - 1 }).map((index) => `d${index}`), fc.constant('gone')), { maxLength: DEBTORS + 4 });

describe('batch reads match the reads of one debtor', () => {
  let dir: string;
  let store: LocalStore;

  beforeAll(() => {
    dir = makeTempDir();
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
    const entries = feed();
    applyFeedBatch(store, entries, entries.length);
  });

  afterAll(() => {
    store.close();
    removeDir(dir);
  });

  it.each([
    { channel: null, name: 'every channel' },
    { channel: 'voice' as const, name: 'phones' },
  ])('debtors.holderPoints, $name', ({ channel }) => {
    fc.assert(
      fc.property(debtorIds, (ids) => {
        const holders = store.debtors.holderPoints(ids, channel);
        for (const id of new Set(ids)) {
          const debtor = store.debtors.get(id);
          const holder = debtor?.persons.find((person) => person.role === 'debtor');
          const points = debtor?.contactPoints.filter((point) => point.personId === holder?.id && (channel === null || point.channel === channel));
          expect(holders.get(id)).toEqual(holder ? { holder, points } : undefined);
        }
      }),
    );
  });

  it('ledger.latestForDebtors', () => {
    fc.assert(
      fc.property(debtorIds, (ids) => {
        const latest = store.ledger.latestForDebtors(ids);
        for (const id of new Set(ids)) expect(latest.get(id)).toEqual(store.ledger.forDebtor(id, 1)[0]);
      }),
    );
  });

  it('ledger.withHistoryOf serves the same histories', () => {
    const personIds = fc.array(fc.tuple(fc.integer({ min: 0, max: DEBTORS - 1 }), fc.integer({ min: 1, max: 3 })).map(([debtor, person]) => `d${debtor}-p${person}`), { maxLength: 8 });
    const instants = fc.integer({ min: BASE_MS - 12 * 24 * HOUR_MS, max: BASE_MS });
    fc.assert(
      fc.property(personIds, personIds, instants, instants, (preloaded, asked, preloadSince, askedSince) => {
        const expected = asked.map((id) => store.ledger.history(id, askedSince));
        const served = store.ledger.withHistoryOf(preloaded, preloadSince, () => asked.map((id) => store.ledger.history(id, askedSince)));
        expect(served).toEqual(expected);
      }),
    );
  });

  it('ledger.withHistoryOf applies the assumed kind', () => {
    store.ledger.addLocalAttempt({ id: 'l-local', attemptId: 'a-1', debtorId: 'd4', personId: 'd4-p1', channel: 'voice', at: '2026-03-03T09:00:00-05:00' });
    const assume = { attemptId: 'a-1', kind: 'two-way' as const };
    const served = store.ledger.withHistoryOf(['d4-p1'], 0, () => store.ledger.history('d4-p1', 0, assume));
    expect(served).toEqual(store.ledger.history('d4-p1', 0, assume));
    expect(served.at(-1)).toEqual({ at: '2026-03-03T09:00:00-05:00', channel: 'voice', kind: 'two-way' });
  });

  it('holds.ofMany', () => {
    fc.assert(
      fc.property(debtorIds, (ids) => {
        const many = store.holds.ofMany(ids);
        for (const id of new Set(ids)) expect(many.get(id) ?? []).toEqual(store.holds.of(id));
      }),
    );
  });

  it('promises.forDebtors and localOnlyFor', () => {
    fc.assert(
      fc.property(debtorIds, (ids) => {
        const server = store.promises.forDebtors(ids);
        const local = store.promises.localOnlyFor(ids);
        for (const id of new Set(ids)) {
          expect(server.get(id) ?? []).toEqual(store.promises.forDebtor(id));
          expect(local.get(id) ?? []).toEqual(store.promises.localOnly(id));
        }
      }),
    );
  });

  it('promises.forDebtors after an update', () => {
    const [before] = store.promises.forDebtors(['d2']).get('d2')!;
    expect(Object.isFrozen(before!.instalments[0])).toBe(true);

    store.promises.put({ ...before!, status: 'kept', instalments: before!.instalments.map((instalment) => ({ ...instalment, status: 'kept' })) }, '2026-03-03T15:00:00.000Z');
    const [after] = store.promises.forDebtors(['d2']).get('d2')!;
    expect(after?.status).toBe('kept');
    expect(store.promises.forDebtor('d2')[0]).toEqual(after);
  });

  it('reads nothing for no ids', () => {
    expect(store.debtors.holderPoints([]).size).toBe(0);
    expect(store.ledger.latestForDebtors([]).size).toBe(0);
    expect(store.holds.ofMany([]).size).toBe(0);
    expect(store.promises.forDebtors([]).size).toBe(0);
  });
});

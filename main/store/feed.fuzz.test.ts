/**
 * Feed batches from a hostile or buggy server: entries with a broken field, entries that parse but
 * break a table constraint, and plain garbage, mixed with valid entries. A batch is applied whole
 * or rejected whole with `InvalidFeedEntryError`, which the sync client shows as a stuck feed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { makeDebtor, seedEntries } from '../test-support/fixtures.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { applyFeedBatch, InvalidFeedEntryError } from './feed.ts';
import { LocalStore } from './local-store.ts';

type Corruption =
  | { kind: 'field'; field: keyof DebtorSnapshot; value: unknown }
  | { kind: 'duplicate-person' | 'duplicate-obligation' | 'duplicate-contact-point' | 'orphan-contact-point' }
  | { kind: 'garbage'; value: unknown }
  | { kind: 'entry-type'; value: string };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({
    kind: fc.constant('field' as const),
    field: fc.constantFrom<keyof DebtorSnapshot>('id', 'docType', 'fullName', 'segment', 'priority', 'leaseUntil', 'obligations', 'persons', 'contactPoints'),
    value: fc.oneof(fc.jsonValue(), fc.constantFrom<unknown>(null, -1, '', 'x'.repeat(100_000), 'mañana', [{}])),
  }),
  fc.record({ kind: fc.constantFrom('duplicate-person' as const, 'duplicate-obligation' as const, 'duplicate-contact-point' as const, 'orphan-contact-point' as const) }),
  fc.record({ kind: fc.constant('garbage' as const), value: fc.jsonValue() }),
  fc.record({ kind: fc.constant('entry-type' as const), value: fc.constantFrom('debtor.delete', 'sql', '__proto__', '') }),
);

function corrupt(seq: number, debtor: DebtorSnapshot, change: Corruption): unknown {
  switch (change.kind) {
    case 'field':
      return { seq, type: 'debtor.upsert', payload: { ...debtor, [change.field]: change.value } };
    case 'duplicate-person':
      return { seq, type: 'debtor.upsert', payload: { ...debtor, persons: [...debtor.persons, debtor.persons[0]!] } };
    case 'duplicate-obligation':
      return { seq, type: 'debtor.upsert', payload: { ...debtor, obligations: [...debtor.obligations, debtor.obligations[0]!] } };
    case 'duplicate-contact-point':
      return { seq, type: 'debtor.upsert', payload: { ...debtor, contactPoints: [...debtor.contactPoints, debtor.contactPoints[0]!] } };
    case 'orphan-contact-point':
      return { seq, type: 'debtor.upsert', payload: { ...debtor, contactPoints: [{ ...debtor.contactPoints[0]!, id: 'huérfano', personId: 'nadie' }] } };
    case 'garbage':
      return change.value;
    case 'entry-type':
      return { seq, type: change.value, payload: debtor };
  }
}

/** Serializes every row of every table, so a test can prove that a rejected batch changed nothing. */
function snapshot(store: LocalStore): string {
  const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  return JSON.stringify(tables.map(({ name }) => [name, store.db.prepare(`SELECT * FROM "${name}"`).all()]));
}

describe('applyFeedBatch with hostile entries', () => {
  let dir: string;
  let store: LocalStore;
  let seq = 0;

  beforeAll(() => {
    dir = makeTempDir();
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
    const entries = seedEntries([makeDebtor('d1')]);
    applyFeedBatch(store, entries, entries.length);
    seq = entries.length;
  });

  afterAll(() => {
    store.close();
    removeDir(dir);
  });

  it('applies a batch whole or rejects it whole', () => {
    fc.assert(
      fc.property(fc.array(fc.option(corruption, { nil: null, freq: 2 }), { minLength: 1, maxLength: 5 }), (plan) => {
        const entries = plan.map((change, index) => {
          seq += 1;
          const debtor = makeDebtor(`d${seq}`, { fullName: `Deudor ${seq}-${index}` });
          return change === null ? { seq, type: 'debtor.upsert', payload: debtor } : corrupt(seq, debtor, change);
        });
        const before = snapshot(store);
        const cursorBefore = store.meta.feedCursor();

        let caught: unknown = null;
        try {
          applyFeedBatch(store, entries, seq);
        } catch (error) {
          caught = error;
        }

        if (caught === null) {
          expect(store.meta.feedCursor()).toBe(seq);
          return;
        }
        expect(caught).toBeInstanceOf(InvalidFeedEntryError);
        expect(plan.some((change) => change !== null)).toBe(true);
        expect(store.meta.feedCursor()).toBe(cursorBefore);
        expect(snapshot(store)).toBe(before);
      }),
      { numRuns: 150 },
    );
  });

  it.each(['duplicate-person', 'duplicate-obligation', 'duplicate-contact-point', 'orphan-contact-point'] as const)('rejects a debtor upsert with %s', (kind) => {
    seq += 1;
    const valid = { seq, type: 'debtor.upsert', payload: makeDebtor(`d${seq}`) };
    seq += 1;
    const broken = corrupt(seq, makeDebtor(`d${seq}`), { kind });
    const before = snapshot(store);

    expect(() => applyFeedBatch(store, [valid, broken], seq)).toThrow(InvalidFeedEntryError);
    expect(() => applyFeedBatch(store, [valid, broken], seq)).toThrow(`seq ${seq}`);
    expect(snapshot(store)).toBe(before);
  });
});

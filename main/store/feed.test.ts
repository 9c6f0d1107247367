import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { makeDebtor, seedEntries, TEST_CATALOG } from '../test-support/fixtures.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { applyFeedBatch, InvalidFeedEntryError } from './feed.ts';
import { LocalStore } from './local-store.ts';

describe('applyFeedBatch', () => {
  let dir: string;
  let store: LocalStore;

  beforeEach(() => {
    dir = makeTempDir();
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
  });

  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  it('stores reference data, debtors and the cursor', () => {
    const entries = seedEntries([makeDebtor('d1')]);
    const applied = applyFeedBatch(store, entries, 3);
    expect(applied).toEqual({ applied: 3, debtorsChanged: ['d1'] });
    expect(store.referenceData.catalog()?.version).toBe(TEST_CATALOG.version);
    expect(store.debtors.get('d1')?.contactPoints).toHaveLength(4);
    expect(store.meta.feedCursor()).toBe(3);
  });

  it('replaces every child of an upserted debtor', () => {
    applyFeedBatch(store, seedEntries([makeDebtor('d1')]), 3);
    const smaller = makeDebtor('d1', { fullName: 'María Peña de Ruiz' });
    smaller.contactPoints = smaller.contactPoints.slice(0, 1);
    smaller.persons = smaller.persons.slice(0, 1);

    applyFeedBatch(store, [{ seq: 4, type: 'debtor.upsert', payload: smaller }], 4);
    const stored = store.debtors.get('d1');
    expect(stored?.fullName).toBe('María Peña de Ruiz');
    expect(stored?.persons.map((person) => person.id)).toEqual(['d1-p1']);
    expect(stored?.contactPoints.map((point) => point.id)).toEqual(['d1-c1']);
  });

  it('removes a debtor but keeps its ledger entries for the limits', () => {
    applyFeedBatch(store, seedEntries([makeDebtor('d1')]), 3);
    const entry = { id: 'l1', debtorId: 'd1', personId: 'd1-p1', channel: 'voice' as const, kind: 'attempt' as const, at: '2026-03-03T08:00:00-05:00' };
    applyFeedBatch(store, [{ seq: 4, type: 'ledger.add', payload: entry }], 4);
    applyFeedBatch(store, [{ seq: 5, type: 'debtor.remove', payload: { debtorId: 'd1', reason: 'reassigned' } }], 5);

    expect(store.debtors.get('d1')).toBeNull();
    expect(store.ledger.history('d1-p1', 0)).toEqual([{ at: entry.at, channel: 'voice', kind: 'attempt' }]);
  });

  it.each(['letter', 'visit'] as const)('stores a %s of the server with its activity', (channel) => {
    const entry = {
      id: `channel-send:${channel}`,
      debtorId: 'd1',
      personId: 'd1-p1',
      channel,
      kind: 'attempt' as const,
      at: '2026-03-03T08:00:00-05:00',
      activity: { activityId: 'aviso', occurrenceDate: '2026-03-03' },
    };
    applyFeedBatch(store, seedEntries([makeDebtor('d1')]), 3);
    applyFeedBatch(store, [{ seq: 4, type: 'ledger.add', payload: entry }], 4);

    expect(store.ledger.history('d1-p1', 0)).toEqual([{ at: entry.at, channel, kind: 'attempt' }]);
    expect(store.tasks.planFacts('d1')?.serverSends).toEqual([{ activityId: 'aviso', occurrenceDate: '2026-03-03', at: entry.at }]);
  });

  it('rejects a ledger entry on an unknown channel', () => {
    const entry = { id: 'l1', debtorId: 'd1', personId: 'd1-p1', channel: 'fax', kind: 'attempt', at: '2026-03-03T08:00:00-05:00' };
    expect(() => applyFeedBatch(store, [{ seq: 1, type: 'ledger.add', payload: entry }], 1)).toThrow(InvalidFeedEntryError);
  });

  it('adds a remote ledger entry once however often it arrives', () => {
    const entry = { id: 'l1', debtorId: 'd1', personId: 'd1-p1', channel: 'voice' as const, kind: 'two-way' as const, at: '2026-03-03T08:00:00-05:00' };
    applyFeedBatch(store, [{ seq: 1, type: 'ledger.add', payload: entry }], 1);
    applyFeedBatch(store, [{ seq: 2, type: 'ledger.add', payload: entry }], 2);
    expect(store.ledger.history('d1-p1', 0)).toHaveLength(1);
  });

  it('applies nothing of a batch with an invalid entry', () => {
    const bad = { seq: 3, type: 'debtor.upsert', payload: { ...makeDebtor('d2'), leaseUntil: 'mañana' } };
    let caught: unknown;
    try {
      applyFeedBatch(store, [...seedEntries([makeDebtor('d1')]).slice(0, 2), bad], 3);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidFeedEntryError);
    expect((caught as InvalidFeedEntryError).seq).toBe(3);
    expect((caught as Error).message).toContain('leaseUntil');
    expect(store.referenceData.catalog()).toBeNull();
    expect(store.meta.feedCursor()).toBe(0);
  });

  it('rolls back the batch when a write fails halfway', () => {
    store.db.exec("CREATE TRIGGER no_d2 BEFORE INSERT ON debtors WHEN NEW.id = 'd2' BEGIN SELECT RAISE(ABORT, 'injected'); END;");
    expect(() => applyFeedBatch(store, seedEntries([makeDebtor('d1'), makeDebtor('d2')]), 4)).toThrow(/injected/);
    expect(store.debtors.get('d1')).toBeNull();
    expect(store.meta.feedCursor()).toBe(0);
  });
});

import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { LocalStore } from '../../store/local-store.ts';
import { makeDebtor } from '../../test-support/fixtures.ts';
import { makeTempDir, removeDir } from '../../test-support/workstation.ts';
import { migrate, schemaVersion } from '../migrate.ts';
import { DATABASE_FILE, openDatabase } from '../open.ts';
import { MIGRATIONS } from './index.ts';

const silent = createLogger({ level: 'silent' });
const PREVIOUS = MIGRATIONS.filter((migration) => migration.version < 7);

function countRows(store: LocalStore, table: string): number {
  return (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('migration 007: strategy and worklist caches', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  /** Writes a database at the version before 007 with one debtor, its holder and one ledger entry. */
  function writePreviousVersion(): void {
    const db = new Database(path.join(dir, DATABASE_FILE));
    migrate(db, silent, PREVIOUS);
    expect(schemaVersion(db)).toBe(PREVIOUS.at(-1)!.version);
    db.exec(`
      INSERT INTO debtors (id, doc_type, doc_number, full_name, search_name, city, segment, priority, script_id, lease_until, lease_until_ms)
        VALUES ('d1', 'CC', '1020304050', 'María Peña', 'maria pena', NULL, 'tardia', 2100, 'guion-tardia', '2099-01-01T00:00:00-05:00', 4070926800000);
      INSERT INTO obligations (debtor_id, id, position, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off)
        VALUES ('d1', 'o1', 0, 'Banco Andino', '4500-1', 'credit-card', 250000000, 40000000, 120, '2026-08-01', 0);
      INSERT INTO persons (debtor_id, id, position, role, doc_type, doc_number, full_name, relation)
        VALUES ('d1', 'p1', 0, 'debtor', 'CC', '1020304050', 'María Peña', NULL);
      INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, at_ms, origin)
        VALUES ('l1', 'd1', 'p1', 'voice', 'attempt', '2026-03-02T10:00:00-05:00', 1772463600000, 'remote');
    `);
    db.close();
  }

  function open(): LocalStore {
    return new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
  }

  it('keeps older debtors, without strategy fields', () => {
    writePreviousVersion();
    const store = open();
    try {
      expect(store.debtors.get('d1')).toMatchObject({ id: 'd1', segment: 'tardia' });
      expect(store.strategy.debtorStrategy('d1')).toBeNull();
      expect(store.strategy.strategySetJson()).toBeNull();
      expect(store.tasks.planFacts('d1')).toMatchObject({ segment: 'tardia', assignedAt: null, earliestDueDate: '2026-08-01', callInstants: ['2026-03-02T10:00:00-05:00'] });
    } finally {
      store.close();
    }
  });

  it('clears a debtor cache rows when its ledger changes', () => {
    writePreviousVersion();
    const store = open();
    try {
      store.tasks.saveLegalStatuses([{ debtorId: 'd1', legalStatus: 'contactable', nextAllowedMs: null, validUntilMs: Number.MAX_SAFE_INTEGER }]);
      store.tasks.savePlans('2026-03-03', [{ debtorId: 'd1', activityId: 'llamada', activityName: 'Llamada', plannedDate: '2026-03-03' }]);
      expect(countRows(store, 'worklist_legal_status')).toBe(1);
      expect(countRows(store, 'debtor_plans')).toBe(1);

      store.db.exec(`INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, at_ms, origin)
        VALUES ('l2', 'other', 'p1', 'sms', 'attempt', '2026-03-03T10:00:00-05:00', 1772550000000, 'remote')`);
      // The person p1 is d1's holder, so a contact on another debtor's file still changes d1's legal status.
      expect(countRows(store, 'worklist_legal_status')).toBe(0);
      expect(countRows(store, 'debtor_plans')).toBe(1);
    } finally {
      store.close();
    }
  });

  it('clears every legal status when the rule pack changes', () => {
    writePreviousVersion();
    const store = open();
    try {
      store.tasks.saveLegalStatuses([{ debtorId: 'd1', legalStatus: 'blocked', nextAllowedMs: null, validUntilMs: Number.MAX_SAFE_INTEGER }]);
      store.db.exec(`INSERT INTO rule_pack (singleton, version, body) VALUES (1, 'x', '{}')`);
      expect(countRows(store, 'worklist_legal_status')).toBe(0);
    } finally {
      store.close();
    }
  });

  it('drops the strategy fields and caches with the debtor', () => {
    const store = open();
    try {
      store.transaction(() => store.debtors.replace(makeDebtor('d1')));
      store.strategy.setDebtorStrategy('d1', { segmentName: 'Temprana', treatmentId: null, strategyVersion: '1', assignedAt: '2026-03-01T08:00:00-05:00' });
      store.tasks.savePlans('2026-03-03', [{ debtorId: 'd1', activityId: null, activityName: null, plannedDate: null }]);
      store.transaction(() => store.debtors.remove('d1'));
      expect(countRows(store, 'debtor_strategy')).toBe(0);
      expect(countRows(store, 'debtor_plans')).toBe(0);
    } finally {
      store.close();
    }
  });

  it('rejects an unknown legal status', () => {
    const store = open();
    try {
      store.transaction(() => store.debtors.replace(makeDebtor('d1')));
      expect(() => store.tasks.saveLegalStatuses([{ debtorId: 'd1', legalStatus: 'unknown' as 'blocked', nextAllowedMs: null, validUntilMs: 1 }])).toThrow(
        /CHECK constraint failed/,
      );
    } finally {
      store.close();
    }
  });
});

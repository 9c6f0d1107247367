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
const PREVIOUS = MIGRATIONS.filter((migration) => migration.version < 6);

describe('migration 006: obligation terms', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  /** Writes a database at the version before 006 with one debtor and one obligation. */
  function writePreviousVersion(): void {
    const db = new Database(path.join(dir, DATABASE_FILE));
    migrate(db, silent, PREVIOUS);
    expect(schemaVersion(db)).toBe(PREVIOUS.at(-1)!.version);
    db.exec(`
      INSERT INTO debtors (id, doc_type, doc_number, full_name, search_name, city, segment, priority, script_id, lease_until, lease_until_ms)
        VALUES ('d1', 'CC', '1020304050', 'María Peña', 'maria pena', NULL, 'tardia', 2100, 'guion-tardia', '2099-01-01T00:00:00-05:00', 4070926800000);
      INSERT INTO obligations (debtor_id, id, position, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off)
        VALUES ('d1', 'o1', 0, 'Banco Andino', '4500-1', 'credit-card', 250000000, 40000000, 120, NULL, 0);
      INSERT INTO persons (debtor_id, id, position, role, doc_type, doc_number, full_name, relation)
        VALUES ('d1', 'p1', 0, 'debtor', 'CC', '1020304050', 'María Peña', NULL);
    `);
    db.close();
  }

  it('reads older obligations as without notices or fee terms', () => {
    writePreviousVersion();
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const obligation = store.debtors.get('d1')?.obligations[0];
      expect(obligation).toMatchObject({ id: 'o1', number: '4500-1', balanceCents: 250_000_000 });
      expect(obligation?.creditReportNotices).toEqual([]);
      expect(obligation?.collectionFeeTerms).toBeNull();
    } finally {
      store.close();
    }
  });

  it('stores the terms of the next snapshot', () => {
    writePreviousVersion();
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const debtor = makeDebtor('d1');
      const terms = { creditReportNotices: ['2026-02-20', '2026-01-02'], collectionFeeTerms: { schedulePercent: 12.5, disclosedToDebtor: true, inLitigation: false } };
      store.transaction(() => store.debtors.replace({ ...debtor, obligations: [{ ...debtor.obligations[0]!, ...terms }] }));

      const obligation = store.debtors.get('d1')?.obligations[0];
      expect(obligation?.creditReportNotices).toEqual(['2026-01-02', '2026-02-20']);
      expect(obligation?.collectionFeeTerms).toEqual(terms.collectionFeeTerms);
    } finally {
      store.close();
    }
  });

  it('rejects a fee flag that is not 0 or 1', () => {
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      store.transaction(() => store.debtors.replace(makeDebtor('d1')));
      expect(() => store.db.prepare("UPDATE obligations SET fee_disclosed = 2 WHERE debtor_id = 'd1'").run()).toThrow(/CHECK constraint failed/);
    } finally {
      store.close();
    }
  });
});

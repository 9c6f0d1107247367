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

describe('migration 004: person time zones and schedule requests', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  /** Writes a version-3 database holding one leased debtor with a person and a phone. */
  function writeVersion3(): void {
    const v3 = new Database(path.join(dir, DATABASE_FILE));
    migrate(v3, silent, MIGRATIONS.slice(0, 3));
    expect(schemaVersion(v3)).toBe(3);
    v3.exec(`
      INSERT INTO debtors (id, doc_type, doc_number, full_name, search_name, city, segment, priority, script_id, lease_until, lease_until_ms)
        VALUES ('d1', 'CC', '1020304050', 'María Peña', 'maria pena', 'Bogotá', 'temprana', 50, 'guion-temprana', '2099-01-01T00:00:00-05:00', 4070926800000);
      INSERT INTO obligations (debtor_id, id, position, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off)
        VALUES ('d1', 'd1-o1', 0, 'Banco Andino', '4500-1', 'credit-card', 100, 50, 25, NULL, 0);
      INSERT INTO persons (debtor_id, id, position, role, doc_type, doc_number, full_name, relation)
        VALUES ('d1', 'd1-p1', 0, 'debtor', 'CC', '1020304050', 'María Peña', NULL);
      INSERT INTO contact_points (debtor_id, id, person_id, position, channel, address, auth_source, auth_granted_on, auth_evidence, auth_revoked_at, flagged)
        VALUES ('d1', 'd1-c1', 'd1-p1', 0, 'voice', '+573001234567', 'contrato', '2024-05-10', 'DOC-1', NULL, NULL);
    `);
    v3.close();
  }

  it('reads a version-3 person as living in Colombia without a schedule request', () => {
    writeVersion3();
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const debtor = store.debtors.get('d1');
      expect(debtor?.persons).toEqual([{ id: 'd1-p1', role: 'debtor', docType: 'CC', docNumber: '1020304050', fullName: 'María Peña', relation: null }]);
      expect(debtor?.contactPoints[0]).not.toHaveProperty('timeZones');
      expect(debtor?.contactPoints[0]).not.toHaveProperty('country');
    } finally {
      store.close();
    }
  });

  it('stores the new fields of the next snapshot over version-3 rows', () => {
    writeVersion3();
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const snapshot = makeDebtor('d1');
      snapshot.persons[0] = {
        ...snapshot.persons[0]!,
        residenceCountry: 'ES',
        timeZones: ['Europe/Madrid'],
        scheduleRequest: {
          window: [{ days: [1, 2, 3, 4, 5], from: '19:00', to: '21:00' }],
          requestedOn: '2026-02-03',
          contractSignedOn: '2025-06-10',
          evidence: 'SOL-1',
          consumerInitiated: true,
          receivedAt: '2026-12-04T09:00:00-05:00',
        },
      };
      snapshot.contactPoints[0] = { ...snapshot.contactPoints[0]!, address: '+34612345678', country: 'ES', timeZones: ['Europe/Madrid'] };
      store.transaction(() => store.debtors.replace(snapshot));

      const stored = store.debtors.get('d1');
      expect(stored?.persons[0]).toEqual(snapshot.persons[0]);
      expect(stored?.contactPoints[0]).toEqual(snapshot.contactPoints[0]);
    } finally {
      store.close();
    }
  });
});

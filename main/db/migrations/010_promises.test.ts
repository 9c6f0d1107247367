import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { LocalStore } from '../../store/local-store.ts';
import { makeTempDir, removeDir } from '../../test-support/workstation.ts';
import { migrate, schemaVersion } from '../migrate.ts';
import { DATABASE_FILE, openDatabase } from '../open.ts';
import { MIGRATIONS } from './index.ts';

const silent = createLogger({ level: 'silent' });
const OWN = MIGRATIONS.find((migration) => migration.name === 'promises and payments')!;
const PREVIOUS = MIGRATIONS.filter((migration) => migration.version < OWN.version);

describe('migration 010: promises and payments', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  /** Writes a database at the version before 010 with one debtor and a promise typified here. */
  function writePreviousVersion(): void {
    const db = new Database(path.join(dir, DATABASE_FILE));
    migrate(db, silent, PREVIOUS);
    expect(schemaVersion(db)).toBe(PREVIOUS.at(-1)!.version);
    // With foreign keys off, the record needs no interaction row; the test is about the promise tables.
    db.pragma('foreign_keys = OFF');
    db.exec(`
      INSERT INTO debtors (id, doc_type, doc_number, full_name, search_name, city, segment, priority, script_id, lease_until, lease_until_ms)
        VALUES ('d1', 'CC', '1020304050', 'María Peña', 'maria pena', NULL, 'tardia', 2100, 'guion-tardia', '2099-01-01T00:00:00-05:00', 4070926800000);
      INSERT INTO local_records (id, interaction_id, debtor_id, kind, due_at, payload, created_at)
        VALUES ('r1', 'i1', 'd1', 'promise', '2026-12-10', '{"code":"PP","fields":{"amount":50000000,"date":"2026-12-10"}}', '2026-12-04T10:00:00-05:00');
    `);
    db.close();
  }

  it('reads promises typified before it as local only', () => {
    writePreviousVersion();
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      expect(schemaVersion(store.db)).toBe(MIGRATIONS.length);
      expect(store.promises.forDebtor('d1')).toEqual([]);
      expect(store.promises.localOnly('d1')).toEqual([
        { interactionId: 'i1', debtorId: 'd1', kind: 'promise', code: 'PP', fields: { amount: 50_000_000, date: '2026-12-10' }, createdAt: '2026-12-04T10:00:00-05:00' },
      ]);
    } finally {
      store.close();
    }
  });

  it('rejects an unknown promise status', () => {
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const insert = "INSERT INTO promises (id, debtor_id, status, snapshot, received_at) VALUES ('p1', 'd1', 'forgotten', '{}', '2026-12-04T10:00:00-05:00')";
      expect(() => store.db.prepare(insert).run()).toThrow(/CHECK constraint failed/);
    } finally {
      store.close();
    }
  });
});

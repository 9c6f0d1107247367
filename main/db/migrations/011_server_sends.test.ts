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
const OWN = MIGRATIONS.find((migration) => migration.name === 'server sends in the ledger')!;
const PREVIOUS = MIGRATIONS.filter((migration) => migration.version < OWN.version);

describe('migration 011: server sends in the ledger', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  /** Writes a database at the version before 011 with one debtor, a call of this desk and an SMS of the server. */
  function writePreviousVersion(): void {
    const db = new Database(path.join(dir, DATABASE_FILE));
    migrate(db, silent, PREVIOUS);
    expect(schemaVersion(db)).toBe(10);
    db.exec(`
      INSERT INTO debtors (id, doc_type, doc_number, full_name, search_name, city, segment, priority, script_id, lease_until, lease_until_ms)
        VALUES ('d1', 'CC', '1020304050', 'María Peña', 'maria pena', NULL, 'tardia', 2100, 'guion-tardia', '2099-01-01T00:00:00-05:00', 4070926800000);
      INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, at_ms, origin, attempt_id, code)
        VALUES ('l-call', 'd1', 'p1', 'voice', 'two-way', '2026-12-02T09:00:00-05:00', 1796220000000, 'local', 'a1', 'CT');
      INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, at_ms, origin, attempt_id, code)
        VALUES ('channel-send:s1', 'd1', 'p1', 'sms', 'attempt', '2026-12-03T10:00:00-05:00', 1796310000000, 'remote', NULL, NULL);
    `);
    db.close();
  }

  function openStore(): LocalStore {
    return new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
  }

  it('keeps the contacts stored before it, without an activity', () => {
    writePreviousVersion();
    const store = openStore();
    try {
      expect(schemaVersion(store.db)).toBe(MIGRATIONS.length);
      expect(store.ledger.history('p1', 0)).toEqual([
        { at: '2026-12-02T09:00:00-05:00', channel: 'voice', kind: 'two-way' },
        { at: '2026-12-03T10:00:00-05:00', channel: 'sms', kind: 'attempt' },
      ]);
      expect(store.tasks.planFacts('d1')?.serverSends).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('stores a letter of the server with its activity', () => {
    writePreviousVersion();
    const store = openStore();
    try {
      const activity = { activityId: 'carta-aviso', occurrenceDate: '2026-12-04' };
      store.ledger.addRemote({ id: 'channel-send:s2', debtorId: 'd1', personId: 'p1', channel: 'letter', kind: 'attempt', at: '2026-12-04T08:00:00-05:00', activity });

      expect(store.ledger.history('p1', 0).at(-1)).toEqual({ at: '2026-12-04T08:00:00-05:00', channel: 'letter', kind: 'attempt' });
      expect(store.tasks.planFacts('d1')?.serverSends).toEqual([{ ...activity, at: '2026-12-04T08:00:00-05:00' }]);
    } finally {
      store.close();
    }
  });

  it('rejects an activity without its date', () => {
    const store = openStore();
    try {
      const insert = `INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, at_ms, origin, activity_id)
        VALUES ('l1', 'd1', 'p1', 'sms', 'attempt', '2026-12-04T08:00:00-05:00', 0, 'remote', 'aviso')`;
      expect(() => store.db.prepare(insert).run()).toThrow(/CHECK constraint failed/);
    } finally {
      store.close();
    }
  });
});

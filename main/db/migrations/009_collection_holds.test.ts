import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { HoldStore } from '../../services/holds-store.ts';
import { makeTempDir, removeDir } from '../../test-support/workstation.ts';
import { migrate, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';

const silent = createLogger({ level: 'silent' });
const byVersion = [...MIGRATIONS].sort((a, b) => a.version - b.version);
const HOLDS = byVersion.find((migration) => migration.name === 'collection holds')!;
const PREVIOUS = byVersion.filter((migration) => migration.version < HOLDS.version);
const THROUGH = byVersion.filter((migration) => migration.version <= HOLDS.version);

describe('migration 009: collection holds', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  it('adds the holds table to a database of the previous version, keeping its rows', () => {
    const db = new Database(path.join(dir, 'plain.sqlite'));
    try {
      migrate(db, silent, PREVIOUS);
      db.prepare("INSERT INTO meta (key, value) VALUES ('probe', 'kept')").run();
      migrate(db, silent, THROUGH);
      expect(schemaVersion(db)).toBe(HOLDS.version);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: 'kept' });

      const holds = new HoldStore(db);
      holds.add('d1', { kind: 'dispute', code: 'RC', since: '2026-03-03T10:00:00-05:00' }, 'i1');
      holds.add('d1', { kind: 'dispute', code: 'RC', since: '2026-03-04T10:00:00-05:00' }, 'i2');
      holds.add('d1', { kind: 'stopped', code: 'FA', since: '2026-03-05T10:00:00-05:00' }, null);
      // The first dispute stays in force, and a stopped strategy ranks first.
      expect(holds.of('d1')).toEqual([
        { kind: 'stopped', code: 'FA', since: '2026-03-05T10:00:00-05:00' },
        { kind: 'dispute', code: 'RC', since: '2026-03-03T10:00:00-05:00' },
      ]);
      holds.replace('d1', []);
      expect(holds.current('d1')).toBeNull();
      expect(() => db.prepare("INSERT INTO collection_holds (debtor_id, kind, code, since) VALUES ('d2', 'other', 'X', 'x')").run()).toThrow(/CHECK constraint failed/);
    } finally {
      db.close();
    }
  });
});

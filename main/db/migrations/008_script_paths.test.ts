import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { makeTempDir, removeDir } from '../../test-support/workstation.ts';
import { migrate, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';

const silent = createLogger({ level: 'silent' });
// By version, so the test holds while other helpers' migrations wait in the list for their number.
const byVersion = [...MIGRATIONS].sort((a, b) => a.version - b.version);
const PREVIOUS = byVersion.filter((migration) => migration.version < 8);
const THROUGH_008 = byVersion.filter((migration) => migration.version <= 8);

describe('migration 008: script paths', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  it('keeps attempts and interactions of the previous version, with no path', () => {
    const db = new Database(path.join(dir, 'plain.sqlite'));
    try {
      migrate(db, silent, PREVIOUS);
      expect(schemaVersion(db)).toBe(7);
      const columns = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((row) => row.name);
      expect(columns('attempts')).not.toContain('script_path');

      // Rows of the previous version: inserted with only the columns that version had.
      db.pragma('foreign_keys = OFF');
      const insertAll = (table: string, values: Record<string, unknown>) => {
        const names = Object.keys(values);
        db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((name) => `@${name}`).join(', ')})`).run(values);
      };
      insertAll('attempts', {
        id: 'a1', request_id: 'r1', decision_id: 'dec-1', debtor_id: 'd1', debtor_name: 'María', person_id: 'p1', person_name: 'María', party: 'debtor',
        contact_point_id: 'c1', channel: 'voice', address: '+573001234567', adapter: 'manual', dialed_at: '2026-03-03T10:00:00-05:00', dialed_at_ms: 0,
        dial_outcome: 'placed', status: 'closed',
      });
      insertAll('interactions', {
        id: 'i1', attempt_id: 'a1', decision_id: 'dec-1', debtor_id: 'd1', person_id: 'p1', contact_point_id: 'c1', channel: 'voice', adapter: 'manual',
        code: 'NC', compliance_class: 'attempt', kind: 'attempt', fields: '{}', note: null, catalog_version: '1', dialed_at: '2026-03-03T10:00:00-05:00',
        typified_at: '2026-03-03T10:05:00-05:00', local_typified_at: '2026-03-03T10:05:00-05:00', clock_offset_ms: 0,
      });

      migrate(db, silent, THROUGH_008);
      expect(schemaVersion(db)).toBe(8);
      expect(db.prepare('SELECT id, script_path FROM attempts').all()).toEqual([{ id: 'a1', script_path: null }]);
      expect(db.prepare('SELECT id, code, script_path FROM interactions').all()).toEqual([{ id: 'i1', code: 'NC', script_path: null }]);

      db.prepare("UPDATE interactions SET script_path = ? WHERE id = 'i1'").run('{"scriptId":"g","scriptVersion":"1","path":[]}');
      expect(db.prepare('SELECT script_path FROM interactions').get()).toEqual({ script_path: '{"scriptId":"g","scriptVersion":"1","path":[]}' });
    } finally {
      db.close();
    }
  });
});

import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@gestiona/core/result';
import { createLogger } from '../logger.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { migrate, schemaVersion } from './migrate.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.ts';
import { DATABASE_FILE, openDatabase } from './open.ts';
import path from 'node:path';

const silent = createLogger({ level: 'silent' });

function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map(
    (row) => row.name,
  );
}

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('numbers migrations 1..N without gaps', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_migration, index) => index + 1));
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('builds the latest schema from an empty file', () => {
    const db = openDatabase({ dataDir: dir, logger: silent });
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['meta', 'debtors', 'obligations', 'persons', 'contact_points', 'ledger', 'outbox', 'rejected_outbox', 'local_records']),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('makes every table STRICT', () => {
    const db = openDatabase({ dataDir: dir, logger: silent });
    const lax = (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND strict = 0 AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
    expect(lax).toEqual([]);
    db.close();
  });

  it('upgrades version 1 with rows in it to the latest, keeping the rows', () => {
    const file = path.join(dir, DATABASE_FILE);
    const v1 = new Database(file);
    migrate(v1, silent, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(v1)).toBe(1);
    v1.exec(`
      INSERT INTO meta (key, value) VALUES ('workstation_id', 'ws-kept');
      INSERT INTO debtors VALUES ('d1', 'CC', '1020', 'María Peña', 'maria pena', 'Bogotá', 'temprana', 10, 's1', '2099-01-01T00:00:00-05:00', 4070926800000);
      INSERT INTO persons VALUES ('d1', 'p1', 0, 'debtor', 'CC', '1020', 'María Peña', NULL);
      INSERT INTO contact_points VALUES ('d1', 'c1', 'p1', 0, 'voice', '+573001234567', 'contrato', '2024-01-01', 'DOC', NULL, NULL);
      INSERT INTO ledger VALUES ('l1', 'd1', 'p1', 'voice', 'attempt', '2026-03-02T10:00:00-05:00', 1772463600000, 'remote', NULL, NULL);
      INSERT INTO outbox (id, type, agent_id, occurred_at, payload) VALUES ('e1', 'decision.recorded', 'a1', '2026-03-02T10:00:00-05:00', '{}');
    `);
    v1.close();

    const db = openDatabase({ dataDir: dir, logger: silent });
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'workstation_id'").get()).toEqual({ value: 'ws-kept' });
    expect(db.prepare('SELECT full_name FROM debtors').all()).toEqual([{ full_name: 'María Peña' }]);
    expect(db.prepare('SELECT address FROM contact_points').all()).toEqual([{ address: '+573001234567' }]);
    expect(db.prepare('SELECT id FROM ledger').all()).toEqual([{ id: 'l1' }]);
    expect(db.prepare('SELECT seq, id FROM outbox').all()).toEqual([{ seq: 1, id: 'e1' }]);
    // The new tables work against the old rows.
    db.prepare("INSERT INTO rejected_outbox SELECT seq, id, type, agent_id, occurred_at, payload, 'motivo', 'x' FROM outbox").run();
    expect(db.prepare('SELECT reason FROM rejected_outbox').all()).toEqual([{ reason: 'motivo' }]);
    db.close();
  });

  it('rolls back a failing migration and keeps the previous version', () => {
    const db = new Database(path.join(dir, DATABASE_FILE));
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', sql: 'CREATE TABLE half (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);' }];
    expect(() => migrate(db, silent, broken)).toThrow(/nowhere/);
    expect(schemaVersion(db)).toBe(1);
    expect(tableNames(db)).not.toContain('half');
    db.close();
  });

  it('rejects a database newer than this build', () => {
    const file = path.join(dir, DATABASE_FILE);
    const future = new Database(file);
    future.pragma(`user_version = ${LATEST_VERSION + 1}`);
    future.close();

    let caught: unknown;
    try {
      openDatabase({ dataDir: dir, logger: silent });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toContain(`versión ${LATEST_VERSION + 1}`);
    expect((caught as AppError).message).toContain('Instale la versión más reciente');

    const reopened = new Database(file);
    expect(schemaVersion(reopened)).toBe(LATEST_VERSION + 1);
    reopened.close();
  });
});

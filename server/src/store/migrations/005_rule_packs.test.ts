import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../fixtures/server.ts';
import { openDatabase } from '../database.ts';
import { MIGRATIONS } from './index.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function dbFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'server.sqlite');
}

const PACK = '{"version":"2026.1","countsAsContact":"every-attempt","lastDialMarginMinutes":10,"extraBlockedDates":[],"calendarCorrections":{"add":[],"remove":[]},"monthlyMinimumWageCents":175090500}';
const PUBLISHED_AT = '2026-12-01T13:00:00.000Z';

/** A version-4 database that published a catalog and a rule pack, as a server before the history existed. */
function version4WithPublishedPack(path: string): void {
  const fourth = openDatabase(path, MIGRATIONS.slice(0, 4));
  expect(fourth.migration).toEqual({ from: 0, to: 4 });
  const db = fourth.db;
  db.prepare("INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES ('u-admin', 'admin', 'Ana Ruiz', 'admin', 'h', ?)").run(PUBLISHED_AT);
  db.prepare("INSERT INTO changes (seq, agent_id, type, payload, created_at) VALUES (1, NULL, 'catalog.set', '{\"version\":\"2026.1\"}', ?)").run(PUBLISHED_AT);
  db.prepare("INSERT INTO changes (seq, agent_id, type, payload, created_at) VALUES (2, NULL, 'rulepack.set', ?, ?)").run(PACK, PUBLISHED_AT);
  db.prepare("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('catalog', 'c1', '2026.1', 1, ?)").run(PUBLISHED_AT);
  db.prepare("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('rulepack', 'r1', '2026.1', 2, ?)").run(PUBLISHED_AT);
  db.close();
}

describe('migration 005 on SQLite', () => {
  it('moves the published rule pack into the history', () => {
    const path = dbFile();
    version4WithPublishedPack(path);

    const { db, migration } = openDatabase(path);
    expect(migration).toEqual({ from: 4, to: MIGRATIONS.length });
    expect(db.prepare('SELECT version, pack, sha256, source, published_by, published_at, reason, change_seq FROM rule_packs').all()).toEqual([
      { version: '2026.1', pack: PACK, sha256: 'r1', source: 'resources', published_by: null, published_at: PUBLISHED_AT, reason: null, change_seq: 2 },
    ]);
    expect(db.prepare('SELECT key, version FROM published_content ORDER BY key').all()).toEqual([
      { key: 'catalog', version: '2026.1' },
      { key: 'rulepack', version: '2026.1' },
    ]);
    db.close();
  });

  it('starts an empty history when nothing was published', () => {
    const path = dbFile();
    openDatabase(path, MIGRATIONS.slice(0, 4)).db.close();
    const { db } = openDatabase(path);
    expect(db.prepare('SELECT COUNT(*) AS count FROM rule_packs').get()).toEqual({ count: 0 });
    db.close();
  });

  it('requires a publisher for admin rows only', () => {
    const path = dbFile();
    version4WithPublishedPack(path);
    const { db } = openDatabase(path);
    const insert = (source: string, publishedBy: string | null) =>
      db
        .prepare("INSERT INTO rule_packs (version, pack, sha256, source, published_by, published_at, change_seq) VALUES ('2026.2', '{}', 's', ?, ?, ?, 3)")
        .run(source, publishedBy, PUBLISHED_AT);

    expect(() => insert('admin', null)).toThrow(/CHECK constraint failed/);
    expect(() => insert('resources', 'u-admin')).toThrow(/CHECK constraint failed/);
    expect(() => insert('other', null)).toThrow(/CHECK constraint failed/);
    expect(() => insert('admin', 'u-missing')).toThrow(/FOREIGN KEY constraint failed/);
    insert('admin', 'u-admin');
    expect(db.prepare("SELECT COUNT(*) AS count FROM rule_packs WHERE source = 'admin'").get()).toEqual({ count: 1 });
    db.close();
  });

  it('is a STRICT table', () => {
    const path = dbFile();
    openDatabase(path).db.close();
    const raw = new Database(path);
    const sql = (raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'rule_packs'").get() as { sql: string }).sql;
    expect(sql).toMatch(/\)\s*STRICT$/);
    raw.close();
  });
});

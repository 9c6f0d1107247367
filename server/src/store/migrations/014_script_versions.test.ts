import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../fixtures/server.ts';
import { openDatabase } from '../database.ts';
import { migration014 } from './014_script_versions.ts';
import { MIGRATIONS } from './index.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration014));
const SCRIPT = '{"id":"guion-temprana","version":"2026.2","name":"Temprana","segment":"temprana","steps":[]}';
const PUBLISHED_AT = '2026-12-01T13:00:00.000Z';

/** A database one version before 014 that published a catalog and two scripts from the resources folder. */
function previousWithPublishedScripts(path: string): void {
  const { db } = openDatabase(path, BEFORE);
  db.prepare("INSERT INTO changes (seq, agent_id, type, payload, created_at) VALUES (1, NULL, 'catalog.set', '{}', ?)").run(PUBLISHED_AT);
  db.prepare("INSERT INTO changes (seq, agent_id, type, payload, created_at) VALUES (2, NULL, 'script.set', ?, ?)").run(SCRIPT, PUBLISHED_AT);
  db.prepare("INSERT INTO changes (seq, agent_id, type, payload, created_at) VALUES (3, NULL, 'script.set', '{\"id\":\"guion-media\"}', ?)").run(PUBLISHED_AT);
  db.prepare("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('catalog', 'c1', '2026.1', 1, ?)").run(PUBLISHED_AT);
  db.prepare("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('script:guion-temprana', 's1', '2026.2', 2, ?)").run(PUBLISHED_AT);
  db.prepare("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('script:guion-media', 's2', '2026.1', 3, ?)").run(PUBLISHED_AT);
  db.close();
}

function dbFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'server.sqlite');
}

describe('migration 014 on SQLite', () => {
  it('moves the scripts published from the resources folder into the history', () => {
    const path = dbFile();
    previousWithPublishedScripts(path);

    const { db, migration } = openDatabase(path);
    expect(migration.from).toBe(BEFORE.length);
    expect(db.prepare('SELECT script_id, version, script, sha256, source, published_by, published_at, reason, change_seq FROM script_versions ORDER BY id').all()).toEqual([
      { script_id: 'guion-temprana', version: '2026.2', script: SCRIPT, sha256: 's1', source: 'resources', published_by: null, published_at: PUBLISHED_AT, reason: null, change_seq: 2 },
      { script_id: 'guion-media', version: '2026.1', script: '{"id":"guion-media"}', sha256: 's2', source: 'resources', published_by: null, published_at: PUBLISHED_AT, reason: null, change_seq: 3 },
    ]);
    db.close();
  });

  it('requires a publisher for admin rows only', () => {
    const path = dbFile();
    openDatabase(path).db.close();
    const db = new Database(path);
    const insert = (source: string, publishedBy: string | null) =>
      db
        .prepare("INSERT INTO script_versions (script_id, version, script, sha256, source, published_by, published_at, change_seq) VALUES ('g', '1', '{}', 's', ?, ?, ?, 3)")
        .run(source, publishedBy, PUBLISHED_AT);
    expect(() => insert('admin', null)).toThrow(/CHECK constraint failed/);
    expect(() => insert('resources', 'u-admin')).toThrow(/CHECK constraint failed/);
    insert('resources', null);
    expect(db.prepare('SELECT COUNT(*) AS count FROM script_versions').get()).toEqual({ count: 1 });
    db.close();
  });
});

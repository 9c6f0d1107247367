import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/server.ts';
import { DatabaseTooNewError, openDatabase } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';

const dirs: { remove(): void }[] = [];
function dbFile(): string {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir.path, 'server.sqlite');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

const tableNames = (db: Database.Database) =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => (row as { name: string }).name);

describe('openDatabase', () => {
  it('migrates an empty file to the latest version', () => {
    const { db, migration } = openDatabase(dbFile());
    expect(migration).toEqual({ from: 0, to: MIGRATIONS.length });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'debtors', 'obligations', 'persons', 'contact_points', 'imports', 'leases', 'changes', 'events', 'decisions', 'interactions', 'ledger', 'rejected_events', 'workstations', 'server_nodes', 'workstation_sockets']),
    );
    db.close();
  });

  it('uses WAL, foreign keys and STRICT tables', () => {
    const { db } = openDatabase(dbFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const sql = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    for (const table of sql) expect(table.sql, table.name).toMatch(/\)\s*STRICT$/);
    expect(() => db.prepare("INSERT INTO imports (file_name, sha256, debtors, debtors_created, obligations, obligations_created, imported_at) VALUES ('a', 'b', 'many', 0, 0, 0, 'x')").run()).toThrow(
      /cannot store TEXT value in INTEGER column/,
    );
    db.close();
  });

  it('migrates version 1 with rows to the latest and keeps the rows', () => {
    const path = dbFile();
    const first = openDatabase(path, MIGRATIONS.slice(0, 1));
    expect(first.migration).toEqual({ from: 0, to: 1 });
    const now = '2026-12-04T15:00:00.000Z';
    first.db.prepare("INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES ('u1', 'agente1', 'Ana Peña', 'agent', 'h', ?)").run(now);
    first.db
      .prepare(
        `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
         VALUES ('CC-1', 'CC', '1', 'José Núñez', 'Bogotá', 'media', 4600, 'guion-media', 100, 45, ?, ?)`,
      )
      .run(now, now);
    first.db.close();

    const { db, migration } = openDatabase(path);
    expect(migration).toEqual({ from: 1, to: MIGRATIONS.length });
    expect(db.prepare('SELECT username, full_name FROM users').all()).toEqual([{ username: 'agente1', full_name: 'Ana Peña' }]);
    expect(db.prepare('SELECT full_name, segment FROM debtors').all()).toEqual([{ full_name: 'José Núñez', segment: 'media' }]);

    // The new tables work against the old rows.
    db.prepare("INSERT INTO leases (debtor_id, agent_id, granted_at, expires_at) VALUES ('CC-1', 'u1', ?, '2026-12-11T15:00:00.000Z')").run(now);
    expect(db.prepare('SELECT COUNT(*) AS count FROM leases').get()).toEqual({ count: 1 });
    db.close();
  });

  it('migrates version 2 with a connected workstation to the latest', () => {
    const path = dbFile();
    const second = openDatabase(path, MIGRATIONS.slice(0, 2));
    expect(second.migration).toEqual({ from: 0, to: 2 });
    second.db
      .prepare("INSERT INTO workstations (id, agent_id, connected, last_seen_at, state) VALUES ('ws-1', 'u1', 2, '2026-12-04T15:00:00.000Z', '{\"agentState\":\"available\"}')")
      .run();
    second.db.close();

    const { db, migration } = openDatabase(path);
    expect(migration).toEqual({ from: 2, to: MIGRATIONS.length });
    expect(db.prepare('SELECT id, agent_id, state FROM workstations').all()).toEqual([{ id: 'ws-1', agent_id: 'u1', state: '{"agentState":"available"}' }]);

    // Socket counts now live per server node; the old counter is left as it was.
    db.prepare("INSERT INTO server_nodes (id, started_at, seen_at) VALUES ('n1', '2026-12-04T15:00:00.000Z', '2026-12-04T15:00:00.000Z')").run();
    db.prepare("INSERT INTO workstation_sockets (workstation_id, node_id, sockets) VALUES ('ws-1', 'n1', 1)").run();
    db.prepare("DELETE FROM server_nodes WHERE id = 'n1'").run();
    expect(db.prepare('SELECT COUNT(*) AS count FROM workstation_sockets').get()).toEqual({ count: 0 });
    db.close();
  });

  it('migrates version 3 with a stored event to the latest', () => {
    const path = dbFile();
    const third = openDatabase(path, MIGRATIONS.slice(0, 3));
    expect(third.migration).toEqual({ from: 0, to: 3 });
    third.db.prepare("INSERT INTO events (id, type, workstation_id, workstation_seq, agent_id, debtor_id, occurred_at, received_at, payload) VALUES ('e1', 'decision.recorded', 'ws-1', 1, 'u1', 'CC-1', '2026-12-04T15:00:00.000Z', '2026-12-04T15:00:01.000Z', '{}')").run();
    third.db.close();

    const { db, migration } = openDatabase(path);
    expect(migration).toEqual({ from: 3, to: MIGRATIONS.length });
    expect(db.prepare('SELECT id, workstation_seq FROM events').all()).toEqual([{ id: 'e1', workstation_seq: 1 }]);

    // The evidence tables refer to the events already stored.
    db.prepare("INSERT INTO decision_links (event_id, workstation_id, workstation_seq, decision_id, chain_index, prev_hash, hash, received_at) VALUES ('e1', 'ws-1', 1, 'd1', 1, 'p', 'h', '2026-12-04T15:00:01.000Z')").run();
    db.prepare("INSERT INTO alarms (kind, workstation_id, agent_id, debtor_id, event_id, decision_id, detail, message, created_at) VALUES ('chain-gap', 'ws-1', 'u1', 'CC-1', 'e1', 'd1', '{}', 'Falta el registro 1', '2026-12-04T15:00:01.000Z')").run();
    expect(db.prepare('SELECT kind, acknowledged_at FROM alarms').all()).toEqual([{ kind: 'chain-gap', acknowledged_at: null }]);
    expect(() => db.prepare("INSERT INTO alarms (kind, workstation_id, agent_id, detail, message, created_at) VALUES ('other', 'ws-1', 'u1', '{}', 'x', '2026-12-04T15:00:01.000Z')").run()).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('leaves a migrated file alone when opened again', () => {
    const path = dbFile();
    openDatabase(path).db.close();
    const { db, migration } = openDatabase(path);
    expect(migration).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
    db.close();
  });

  it('rejects a database newer than the server', () => {
    const path = dbFile();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();

    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(path)).toThrow(new RegExp(`schema version ${MIGRATIONS.length + 1}.*supports up to ${MIGRATIONS.length}`));
  });

  it('rolls back a failing migration with its version', () => {
    const path = dbFile();
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE extra (id TEXT) STRICT; INSERT INTO missing VALUES (1);' }];
    expect(() => openDatabase(path, broken)).toThrow(/no such table: missing/);

    const { db } = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tableNames(db)).not.toContain('extra');
    db.close();
  });
});

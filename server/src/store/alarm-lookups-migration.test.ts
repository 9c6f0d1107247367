import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../fixtures/backends.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { createPool, migrate } from './pg/database.ts';
import { PG_MIGRATIONS } from './pg/migrations/index.ts';

const ALARM_SQL = `INSERT INTO alarms (kind, workstation_id, agent_id, debtor_id, event_id, decision_id, detail, message, created_at)
  VALUES ('clock', 'ws-1', 'u1', NULL, NULL, NULL, '{"problem":"jump"}', 'El reloj cambió.', '2026-12-04T15:00:00.000Z')`;
const ROWS_SQL = 'SELECT kind, workstation_id, detail, acknowledged_at FROM alarms';
const EXPECTED_ROWS = [{ kind: 'clock', workstation_id: 'ws-1', detail: '{"problem":"jump"}', acknowledged_at: null }];
const INDEXES = ['alarms_open', 'alarms_workstation_kind'];

describe('migration 8 on SQLite', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('keeps version 7 alarms and indexes their lookups', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'server.sqlite');
    const before = openDatabase(path, MIGRATIONS.slice(0, 7));
    expect(before.migration.to).toBe(7);
    before.db.exec(ALARM_SQL);
    before.db.close();

    const { db, migration } = openDatabase(path);
    expect(migration).toEqual({ from: 7, to: MIGRATIONS.length });
    expect(db.prepare(ROWS_SQL).all()).toEqual(EXPECTED_ROWS);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN (?, ?) ORDER BY name").all(...INDEXES);
    expect(indexes).toEqual(INDEXES.map((name) => ({ name })));

    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM alarms WHERE kind = 'clock' AND workstation_id = 'ws-1' AND detail = '{}' LIMIT 1")
      .all() as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toContain('alarms_workstation_kind');
    db.close();
  });
});

describe('migration 8 on PostgreSQL', () => {
  const backend = useTestBackend('postgres');
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
  });

  it('keeps version 7 alarms and indexes their lookups', async () => {
    const location = await backend.createDatabase();
    const pool = createPool(location.databaseUrl!, createLogger({ level: 'silent' }), 2);
    pools.push(pool);
    expect((await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 7))).to).toBe(7);
    await pool.query(ALARM_SQL);

    expect(await migrate(pool, 'test')).toEqual({ from: 7, to: PG_MIGRATIONS.length });
    expect((await pool.query(ROWS_SQL)).rows).toEqual(EXPECTED_ROWS);
    const indexes = await pool.query("SELECT indexname FROM pg_indexes WHERE tablename = 'alarms' AND indexname = ANY($1) ORDER BY indexname", [INDEXES]);
    expect(indexes.rows).toEqual(INDEXES.map((indexname) => ({ indexname })));
  });
});

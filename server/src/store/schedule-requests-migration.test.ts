import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../fixtures/backends.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { openStore } from './open-store.ts';
import { createPool, migrate } from './pg/database.ts';
import { PG_MIGRATIONS } from './pg/migrations/index.ts';

const AT = '2026-12-04T15:00:00.000Z';
const VERSION_5_ROWS = [
  `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
   VALUES ('CC-1020304050', 'CC', '1020304050', 'María Peña', 'Bogotá', 'media', 4000, 'guion-media', 100, 45, '${AT}', '${AT}')`,
  `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off, updated_at)
   VALUES ('ob-1', 'CC-1020304050', 'Banco Cafetero del Sur', 'TC-1', 'credit-card', 100, 50, 45, NULL, 0, '${AT}')`,
  `INSERT INTO persons (id, debtor_id, role, doc_type, doc_number, full_name, relation, position)
   VALUES ('CC-1020304050', 'CC-1020304050', 'debtor', 'CC', '1020304050', 'María Peña', NULL, 0)`,
  `INSERT INTO contact_points (id, person_id, channel, address, position) VALUES ('CC-1020304050/celular', 'CC-1020304050', 'voice', '+573001234567', 0)`,
];
const REQUEST_SQL = (line: number, replacedAt: string | null) =>
  `INSERT INTO schedule_requests (doc_type, doc_number, windows, requested_on, contract_signed_on, evidence, consumer_initiated, file_name, sha256, line, received_at, replaced_at)
   VALUES ('CC', '1020304050', '[{"days":[1,2,3,4,5],"from":"19:00","to":"21:00"}]', '2026-02-03', '2025-06-10', 'SOL-1', 1, 'horarios.csv', 'x', ${line}, '${AT}', ${replacedAt === null ? 'NULL' : `'${replacedAt}'`})`;

const silent = createLogger({ level: 'silent' });

describe('migration 6 on SQLite', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('keeps version 5 persons in Colombia', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'server.sqlite');
    const before = openDatabase(path, MIGRATIONS.slice(0, 5));
    expect(before.migration.to).toBe(5);
    for (const sql of VERSION_5_ROWS) before.db.exec(sql);
    before.db.close();

    const { db, migration } = openDatabase(path, MIGRATIONS.slice(0, 6));
    expect(migration).toEqual({ from: 5, to: 6 });
    expect(db.prepare('SELECT id, time_zone, residence_country FROM persons').all()).toEqual([{ id: 'CC-1020304050', time_zone: null, residence_country: null }]);

    db.exec(REQUEST_SQL(2, AT));
    db.exec(REQUEST_SQL(3, null));
    expect(() => db.exec(REQUEST_SQL(4, null))).toThrow(/UNIQUE/);
    expect(() => db.exec(REQUEST_SQL(5, AT).replace("'CC', '1020304050'", "'XX', '1020304050'"))).toThrow(/CHECK/);
    db.close();

    const store = await openStore({ dbPath: path, logger: silent });
    try {
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', new Date(AT));
      expect(snapshot?.persons[0]).not.toHaveProperty('timeZones');
      expect(snapshot?.persons[0]?.scheduleRequest).toMatchObject({ requestedOn: '2026-02-03', window: [{ days: [1, 2, 3, 4, 5], from: '19:00', to: '21:00' }] });
      expect((await store.listScheduleRequests('CC', '1020304050')).map((request) => request.line)).toEqual([2, 3]);
    } finally {
      await store.close();
    }
  });
});

describe('migration 6 on PostgreSQL', () => {
  const backend = useTestBackend('postgres');
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
  });

  it('keeps version 5 persons in Colombia', async () => {
    const location = await backend.createDatabase();
    const pool = createPool(location.databaseUrl!, silent, 2);
    pools.push(pool);
    expect((await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 5))).to).toBe(5);
    for (const sql of VERSION_5_ROWS) await pool.query(sql);

    expect(await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 6))).toEqual({ from: 5, to: 6 });
    expect((await pool.query('SELECT id, time_zone, residence_country FROM persons')).rows).toEqual([{ id: 'CC-1020304050', time_zone: null, residence_country: null }]);

    await pool.query(REQUEST_SQL(2, AT));
    await pool.query(REQUEST_SQL(3, null));
    await expect(pool.query(REQUEST_SQL(4, null))).rejects.toThrow(/schedule_requests_current/);
    await expect(pool.query(REQUEST_SQL(5, 'not an instant'))).rejects.toThrow();
    await pool.end();
    pools.length = 0;

    const store = await openStore({ databaseUrl: location.databaseUrl!, logger: silent });
    try {
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', new Date(AT));
      expect(snapshot?.persons[0]?.scheduleRequest?.consumerInitiated).toBe(true);
      expect((await store.listScheduleRequests('CC', '1020304050')).map((request) => request.replacedAt === null)).toEqual([false, true]);
    } finally {
      await store.close();
    }
  });
});

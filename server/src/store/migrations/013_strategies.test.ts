import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend, type TestBackend } from '../../fixtures/backends.ts';
import { createLogger } from '../../logger.ts';
import { openDatabase } from '../database.ts';
import type { StoreLocation } from '../open-store.ts';
import { createPool, migrate as migratePostgres } from '../pg/database.ts';
import { PG_MIGRATIONS } from '../pg/migrations/index.ts';
import type { ServerStore } from '../types.ts';
import { migration013 } from './013_strategies.ts';
import { MIGRATIONS } from './index.ts';

const AT = '2026-12-01T13:00:00.000Z';
const LEASE_UNTIL = new Date('2026-12-08T09:00:00-05:00');
const logger = createLogger({ level: 'silent' });

/** Two debtors stored by the factory segmentation, before strategies existed. */
const ROWS = [
  ['CC-10000001', 'Ana Peña', 'temprana', 3400, 'guion-temprana', 12],
  ['CC-10000002', 'Luis Báez', 'tardia', 2500, 'guion-tardia', 120],
].flatMap(([id, name, segment, priority, script, dpd]) => [
  `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
   VALUES ('${id}', 'CC', '${String(id).slice(3)}', '${name}', 'Bogotá', '${segment}', ${priority}, '${script}', 100000, ${dpd}, '${AT}', '${AT}')`,
  `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off, updated_at)
   VALUES ('o-${id}', '${id}', 'Banco', 'N-${id}', 'credit-card', 100000, 1000, ${dpd}, NULL, 0, '${AT}')`,
  `INSERT INTO persons (id, debtor_id, role, doc_type, doc_number, full_name, relation, position) VALUES ('p-${id}', '${id}', 'debtor', 'CC', '${String(id).slice(3)}', '${name}', NULL, 0)`,
]);

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

async function previousVersionWithDebtors(backend: TestBackend): Promise<StoreLocation> {
  const sqliteBefore = MIGRATIONS.findIndex((migration) => migration.name === migration013.name);
  const pgBefore = PG_MIGRATIONS.findIndex((migration) => migration.name === migration013.name);
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, sqliteBefore));
    for (const sql of ROWS) db.prepare(sql).run();
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, pgBefore));
    for (const sql of ROWS) await pool.query(sql);
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 013 (strategies) on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('keeps each debtor in its factory segment, named, until the first publication', async () => {
    const store = await backend.openStore(await previousVersionWithDebtors(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);

    const temprana = await store.getDebtorSnapshot('CC-10000001', LEASE_UNTIL);
    expect(temprana).toMatchObject({ segment: 'temprana', segmentName: 'Temprana', priority: 3400, scriptId: 'guion-temprana', assignedAt: '2026-12-01T08:00:00-05:00' });
    expect(temprana).not.toHaveProperty('strategyVersion');
    expect((await store.getDebtorSnapshot('CC-10000002', LEASE_UNTIL))!.segmentName).toBe('Tardía');
    expect(await store.countDebtorsBySegment()).toMatchObject({ temprana: 1, tardia: 1 });
    expect(await store.listStrategies()).toEqual([]);
  });
});

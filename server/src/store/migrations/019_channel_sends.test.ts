import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { insertDue, listSends } from '../../channels/send-table.ts';
import { BACKEND_NAMES, useTestBackend, type TestBackend } from '../../fixtures/backends.ts';
import { createLogger } from '../../logger.ts';
import { openDatabase } from '../database.ts';
import type { StoreLocation } from '../open-store.ts';
import { createPool, migrate as migratePostgres } from '../pg/database.ts';
import { PG_MIGRATIONS } from '../pg/migrations/index.ts';
import type { ServerStore } from '../types.ts';
import { MIGRATIONS } from './index.ts';
import { migration019 } from './019_channel_sends.ts';

const CREATED_AT = '2026-12-01T13:00:00.000Z';
const DEBTOR_ID = 'CC-1020304050';
const NOW = new Date('2026-12-09T10:00:00-05:00');
const logger = createLogger({ level: 'silent' });

/** A debtor with its person and obligation, as the version before 019 stored them. */
const ROWS = [
  `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
   VALUES ('${DEBTOR_ID}', 'CC', '1020304050', 'María Peña', 'Bogotá', 'media', 2100, 'guion-media', 250000000, 45, '${CREATED_AT}', '${CREATED_AT}')`,
  `INSERT INTO persons (id, debtor_id, role, doc_type, doc_number, full_name, relation, position) VALUES ('p-1', '${DEBTOR_ID}', 'debtor', 'CC', '1020304050', 'María Peña', NULL, 0)`,
  `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off, updated_at)
   VALUES ('o-1', '${DEBTOR_ID}', 'Banco Cafetero', 'TC-1', 'credit-card', 250000000, 20000000, 45, '2026-10-25', 0, '${CREATED_AT}')`,
];

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

const BEFORE = MIGRATIONS.indexOf(migration019);

async function beforeMigration(backend: TestBackend): Promise<StoreLocation> {
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db, migration } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, BEFORE));
    expect(migration).toEqual({ from: 0, to: BEFORE });
    for (const sql of ROWS) db.prepare(sql).run();
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    expect(await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, BEFORE))).toEqual({ from: 0, to: BEFORE });
    for (const sql of ROWS) await pool.query(sql);
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 019 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('keeps the debtors stored before it and keys each send once', async () => {
    expect(BEFORE).toBeGreaterThan(0);
    const store = await backend.openStore(await beforeMigration(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);

    const facts = await store.readBoardView((sql) =>
      sql.get<{ postal_address: string | null; visit_allowed: number; visit_credit_type: string | null }>(
        'SELECT persons.postal_address, obligations.visit_allowed, obligations.visit_credit_type FROM persons JOIN obligations ON obligations.debtor_id = persons.debtor_id',
      ),
    );
    expect(facts).toEqual({ postal_address: null, visit_allowed: 0, visit_credit_type: null });

    const due = [{ debtorId: DEBTOR_ID, personId: 'p-1', activityId: 'sms-aviso', occurrenceDate: '2026-12-09', channel: 'sms' as const, strategyVersion: '2026.1' }];
    expect(await store.writeChannels((tables) => insertDue(tables.events.sql, due, NOW))).toBe(1);
    expect(await store.writeChannels((tables) => insertDue(tables.events.sql, due, NOW))).toBe(0);
    expect(await store.readBoardView((sql) => listSends(sql, DEBTOR_ID))).toEqual([expect.objectContaining({ activityId: 'sms-aviso', status: 'pending', attempts: 0 })]);
  });
});

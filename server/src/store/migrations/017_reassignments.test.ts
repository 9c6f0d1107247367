import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend, type TestBackend } from '../../fixtures/backends.ts';
import { createLogger } from '../../logger.ts';
import { openDatabase } from '../database.ts';
import type { StoreLocation } from '../open-store.ts';
import { createPool, migrate as migratePostgres } from '../pg/database.ts';
import { PG_MIGRATIONS } from '../pg/migrations/index.ts';
import type { ServerStore } from '../types.ts';
import { MIGRATIONS } from './index.ts';

const GRANTED_AT = '2026-12-01T13:00:00.000Z';
const EXPIRES_AT = '2026-12-08T13:00:00.000Z';
const DEBTOR_ID = 'CC-1020304050';
const logger = createLogger({ level: 'silent' });
/** The schema just before `reassignments`: migrations 001-012. */
const PREVIOUS_VERSION = 12;

/** Two agents, an administrator, a debtor with one obligation and the first agent's open lease, as a version-12 server stored them. */
const ROWS = [
  `INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) VALUES ('u-1', 'agente1', 'Agente 1', 'agent', 'x', 1, '${GRANTED_AT}')`,
  `INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) VALUES ('u-2', 'agente2', 'Agente 2', 'agent', 'x', 1, '${GRANTED_AT}')`,
  `INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) VALUES ('u-admin', 'admin', 'Administración', 'admin', 'x', 1, '${GRANTED_AT}')`,
  `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
   VALUES ('${DEBTOR_ID}', 'CC', '1020304050', 'María Peña', NULL, 'tardia', 2100, 'guion-tardia', 250000000, 120, '${GRANTED_AT}', '${GRANTED_AT}')`,
  `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off, updated_at)
   VALUES ('ob-1', '${DEBTOR_ID}', 'Banco Andino', '4500-1', 'credit-card', 250000000, 40000000, 120, NULL, 0, '${GRANTED_AT}')`,
  `INSERT INTO persons (id, debtor_id, role, doc_type, doc_number, full_name, relation, position) VALUES ('${DEBTOR_ID}', '${DEBTOR_ID}', 'debtor', 'CC', '1020304050', 'María Peña', NULL, 0)`,
  `INSERT INTO leases (debtor_id, agent_id, granted_at, expires_at) VALUES ('${DEBTOR_ID}', 'u-1', '${GRANTED_AT}', '${EXPIRES_AT}')`,
];

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

async function previousVersionWithLease(backend: TestBackend): Promise<StoreLocation> {
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db, migration } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, PREVIOUS_VERSION));
    expect(migration).toEqual({ from: 0, to: PREVIOUS_VERSION });
    for (const sql of ROWS) db.prepare(sql).run();
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    expect(await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, PREVIOUS_VERSION))).toEqual({ from: 0, to: PREVIOUS_VERSION });
    for (const sql of ROWS) await pool.query(sql);
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 017 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('reassigns a lease stored before the migration', async () => {
    const store = await backend.openStore(await previousVersionWithLease(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);

    const now = new Date('2026-12-02T14:00:00.000Z');
    const [id] = await store.requestReassignments({ debtorIds: [DEBTOR_ID], toAgentId: 'u-2', requestedBy: 'u-admin', ledBy: undefined, now });
    const [row] = await store.listReassignments({ debtorId: DEBTOR_ID, limit: 5 }, now);
    expect(row).toMatchObject({ id, fromAgentName: 'Agente 1', toAgentName: 'Agente 2', requestedByName: 'Administración', debtorName: 'María Peña' });
    // No workstation of agente1 ever connected, so none holds the debtor and it moves at once.
    expect(row?.state).toBe('done');
  });
});

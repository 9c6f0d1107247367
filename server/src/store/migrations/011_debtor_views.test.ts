import { randomUUID } from 'node:crypto';
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

/** An agent, a debtor, the agent's open lease and a stored release acknowledgement, as a version-10 server stored them. */
const ROWS = [
  `INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) VALUES ('u-1', 'agente1', 'Agente 1', 'agent', 'x', 1, '${GRANTED_AT}')`,
  `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
   VALUES ('${DEBTOR_ID}', 'CC', '1020304050', 'María Peña', NULL, 'tardia', 2100, 'guion-tardia', 250000000, 120, '${GRANTED_AT}', '${GRANTED_AT}')`,
  `INSERT INTO persons (id, debtor_id, role, doc_type, doc_number, full_name, relation, position) VALUES ('${DEBTOR_ID}', '${DEBTOR_ID}', 'debtor', 'CC', '1020304050', 'María Peña', NULL, 0)`,
  `INSERT INTO leases (debtor_id, agent_id, granted_at, expires_at) VALUES ('${DEBTOR_ID}', 'u-1', '${GRANTED_AT}', '${EXPIRES_AT}')`,
  `INSERT INTO events (id, type, workstation_id, workstation_seq, agent_id, debtor_id, occurred_at, received_at, payload)
   VALUES ('old-event', 'lease.released', 'ws-1', 1, 'u-1', '${DEBTOR_ID}', '${GRANTED_AT}', '${GRANTED_AT}', '{}')`,
];

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

async function version10WithLease(backend: TestBackend): Promise<StoreLocation> {
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db, migration } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, 10));
    expect(migration).toEqual({ from: 0, to: 10 });
    for (const sql of ROWS) db.prepare(sql).run();
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    expect(await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, 10))).toEqual({ from: 0, to: 10 });
    for (const sql of ROWS) await pool.query(sql);
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 011 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('stores views beside the events of version 10', async () => {
    const store = await backend.openStore(await version10WithLease(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(await store.countEvents()).toBe(1);

    const viewedAt = '2026-12-02T09:00:00-05:00';
    const outcome = await store.ingestEvent(
      { id: randomUUID(), type: 'debtor.viewed', workstationId: 'ws-1', seq: 2, agentId: 'u-1', occurredAt: viewedAt, payload: { debtorId: DEBTOR_ID, viewedAt, localAt: viewedAt, clockOffsetMs: 0 } },
      { agentId: 'u-1', workstationId: 'ws-1', receivedAt: new Date('2026-12-02T14:05:00Z') },
    );
    expect(outcome).toEqual({ status: 'stored' });
    expect(await store.countEvents()).toBe(2);
    expect(await store.findDebtorViews({ debtorId: DEBTOR_ID })).toEqual([expect.objectContaining({ agentUsername: 'agente1', leased: true, viewedAt: '2026-12-02T14:00:00.000Z' })]);
  });
});

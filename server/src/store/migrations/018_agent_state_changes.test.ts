import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { recordDeskStateChange } from '../../board/board-live.ts';
import { readBoard } from '../../board/board-route.ts';
import { BACKEND_NAMES, useTestBackend, type TestBackend } from '../../fixtures/backends.ts';
import { createLogger } from '../../logger.ts';
import { openDatabase } from '../database.ts';
import type { StoreLocation } from '../open-store.ts';
import { createPool, migrate as migratePostgres } from '../pg/database.ts';
import { PG_MIGRATIONS } from '../pg/migrations/index.ts';
import type { ServerStore } from '../types.ts';
import { MIGRATIONS } from './index.ts';
import { migration018 } from './018_agent_state_changes.ts';

const CREATED_AT = '2026-12-01T13:00:00.000Z';
const DEBTOR_ID = 'CC-1020304050';
const NOW = new Date('2026-12-07T15:00:00-05:00');
const logger = createLogger({ level: 'silent' });

/** An agent, a debtor and a typified interaction of today, as the version before 018 stored them. */
const ROWS = [
  `INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) VALUES ('u-1', 'agente1', 'Agente 1', 'agent', 'x', 1, '${CREATED_AT}')`,
  `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
   VALUES ('${DEBTOR_ID}', 'CC', '1020304050', 'María Peña', NULL, 'tardia', 2100, 'guion-tardia', 250000000, 120, '${CREATED_AT}', '${CREATED_AT}')`,
  `INSERT INTO events (id, type, workstation_id, workstation_seq, agent_id, debtor_id, occurred_at, received_at, payload)
   VALUES ('ev-1', 'interaction.recorded', 'ws-1', 1, 'u-1', '${DEBTOR_ID}', '${CREATED_AT}', '${CREATED_AT}', '{}')`,
  `INSERT INTO interactions (id, event_id, attempt_id, decision_id, debtor_id, person_id, contact_point_id, channel, adapter, code, compliance_class, kind, fields, note,
     catalog_version, dialed_at, typified_at, local_typified_at, agent_id, workstation_id)
   VALUES ('i-1', 'ev-1', 'a-1', 'd-1', '${DEBTOR_ID}', '${DEBTOR_ID}', 'cp-1', 'voice', 'manual', 'NC', 'attempt', 'attempt', '{}', NULL,
     '2026.1', '2026-12-07T14:00:00.000Z', '2026-12-07T14:01:30.000Z', '2026-12-07T14:01:30.000Z', 'u-1', 'ws-1')`,
];

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

/** The position of 018 in the positional index: the databases are migrated to just before it. */
const BEFORE = MIGRATIONS.indexOf(migration018);

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

describe.each(BACKEND_NAMES)('migration 018 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('keeps the interactions stored before it and measures wrap-ups after it', async () => {
    expect(BEFORE).toBeGreaterThan(0);
    const store = await backend.openStore(await beforeMigration(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);

    const change = (state: 'wrap-up' | 'available', since: string) => ({ workstationId: 'ws-1', agentId: 'u-1', state, since, reportedAt: since });
    expect(await store.writeBoardView((sql) => recordDeskStateChange(sql, change('wrap-up', '2026-12-07T14:00:45.000Z')))).toBe(true);
    expect(await store.writeBoardView((sql) => recordDeskStateChange(sql, change('wrap-up', '2026-12-07T14:00:45.000Z')))).toBe(false);
    expect(await store.writeBoardView((sql) => recordDeskStateChange(sql, change('available', '2026-12-07T14:01:30.000Z')))).toBe(true);

    const [agent] = (await readBoard(store, NOW)).agents;
    expect(agent).toMatchObject({ agentId: 'u-1', interactions: 1, avgHandleSeconds: 90, avgWrapUpSeconds: 45 });
  });
});

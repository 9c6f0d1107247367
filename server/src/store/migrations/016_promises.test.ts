import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend, type TestBackend } from '../../fixtures/backends.ts';
import { utf8 } from '../../fixtures/portfolio.ts';
import { obligationId } from '../../import/ids.ts';
import { createLogger } from '../../logger.ts';
import { openDatabase } from '../database.ts';
import type { StoreLocation } from '../open-store.ts';
import { createPool, migrate as migratePostgres } from '../pg/database.ts';
import { PG_MIGRATIONS } from '../pg/migrations/index.ts';
import type { ServerStore } from '../types.ts';
import { MIGRATIONS } from './index.ts';

const AT = '2026-12-01T13:00:00.000Z';
const DEBTOR_ID = 'CC-1020304050';
const CREDITOR = 'Banco Cafetero del Sur';
const OBLIGATION_ID = obligationId(CREDITOR, 'TC-0001');
const logger = createLogger({ level: 'silent' });
/** Migrations before the promises one, wherever the index places it. */
const PREVIOUS = MIGRATIONS.findIndex((migration) => migration.name === 'promises');

/** A debtor and one obligation, as the server before promises stored them. */
const ROWS = [
  `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
   VALUES ('${DEBTOR_ID}', 'CC', '1020304050', 'María Peña', NULL, 'tardia', 2100, 'guion-tardia', 250000000, 120, '${AT}', '${AT}')`,
  `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off, updated_at)
   VALUES ('${OBLIGATION_ID}', '${DEBTOR_ID}', '${CREDITOR}', 'TC-0001', 'Tarjeta de crédito', 250000000, 40000000, 120, NULL, 0, '${AT}')`,
];

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

async function previousVersionWithDebtor(backend: TestBackend): Promise<StoreLocation> {
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, PREVIOUS));
    for (const sql of ROWS) db.prepare(sql).run();
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, PREVIOUS));
    for (const sql of ROWS) await pool.query(sql);
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 016 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('stores payments for debtors of the previous version', async () => {
    expect(PREVIOUS).toBeGreaterThan(0);
    const store = await backend.openStore(await previousVersionWithDebtor(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(await store.debtorPromises(DEBTOR_ID)).toEqual([]);

    const file = `tipo_documento;numero_documento;numero_obligacion;entidad;fecha_pago;valor_pagado;referencia_pago\r\nCC;1020304050;TC-0001;${CREDITOR};01/12/2026;10.000;R-1\r\n`;
    const summary = await store.importPayments({ fileName: 'pagos.csv', bytes: utf8(file), now: new Date(AT) });
    expect(summary).toMatchObject({ stored: 1, matched: 0, unmatched: { 'no-promise': 1 } });
  });
});

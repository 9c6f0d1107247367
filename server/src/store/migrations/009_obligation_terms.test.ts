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

const NOW = new Date('2026-12-04T15:00:00-05:00');
const UPDATED_AT = '2026-12-01T13:00:00.000Z';
const OBLIGATION_ID = obligationId('Banco Andino', '4500-1');
const logger = createLogger({ level: 'silent' });

/** A debtor with one obligation, as a version-8 server stored them; `?` placeholders, numbered for PostgreSQL by the caller. */
const ROWS = [
  {
    sql: `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
          VALUES ('CC-1020304050', 'CC', '1020304050', 'María Peña', NULL, 'tardia', 2100, 'guion-tardia', 250000000, 120, ?, ?)`,
    params: [UPDATED_AT, UPDATED_AT],
  },
  {
    sql: `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off, updated_at)
          VALUES (?, 'CC-1020304050', 'Banco Andino', '4500-1', 'credit-card', 250000000, 40000000, 120, NULL, 0, ?)`,
    params: [OBLIGATION_ID, UPDATED_AT],
  },
];

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

/** Creates a database at version 8 holding the rows above. */
async function version8WithObligation(backend: TestBackend): Promise<StoreLocation> {
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db, migration } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, 8));
    expect(migration).toEqual({ from: 0, to: 8 });
    for (const row of ROWS) db.prepare(row.sql).run(...row.params);
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    expect(await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, 8))).toEqual({ from: 0, to: 8 });
    for (const row of ROWS) {
      let index = 0;
      await pool.query(row.sql.replace(/\?/g, () => `$${++index}`), row.params);
    }
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 009 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  async function open(location: StoreLocation): Promise<ServerStore> {
    const store = await backend.openStore(location);
    stores.push(store);
    return store;
  }

  it('keeps older obligations, without notices or fee terms', async () => {
    const store = await open(await version8WithObligation(backend));
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);

    const obligations = (await store.getDebtorSnapshot('CC-1020304050', NOW))?.obligations;
    expect(obligations).toHaveLength(1);
    expect(obligations?.[0]).toMatchObject({ id: OBLIGATION_ID, number: '4500-1', balanceCents: 250_000_000, creditReportNotices: [], collectionFeeTerms: null });
  });

  it('stores terms for an obligation from before the migration', async () => {
    const store = await open(await version8WithObligation(backend));
    const bytes = utf8('numero_obligacion;entidad;fecha_aviso_1;porcentaje_gastos_cobranza;tabla_gastos_informada\r\n4500-1;Banco Andino;02/11/2026;7,25;sí\r\n');
    await store.importObligationTerms({ fileName: 'avisos.csv', bytes, now: NOW });

    const obligation = (await store.getDebtorSnapshot('CC-1020304050', NOW))?.obligations[0];
    expect(obligation?.creditReportNotices).toEqual(['2026-11-02']);
    expect(obligation?.collectionFeeTerms).toEqual({ schedulePercent: 7.25, disclosedToDebtor: true, inLitigation: false });
  });

  it.each([
    { case: 'a second notice before the first', values: "'2026-11-09', '2026-11-02', NULL, NULL, NULL" },
    { case: 'a second notice without a first', values: "NULL, '2026-11-02', NULL, NULL, NULL" },
    { case: 'a percentage above 100', values: 'NULL, NULL, 10001, 1, 0' },
    { case: 'a fee flag without a percentage', values: 'NULL, NULL, NULL, 1, 0' },
  ])('rejects a row with $case', async ({ values }) => {
    const location = await version8WithObligation(backend);
    // Opening a store brings the database to the latest version.
    await (await backend.openStore(location)).close();
    const insert = `
      INSERT INTO obligation_terms_imports (file_name, sha256, obligations, imported_by, imported_at) VALUES ('a.csv', 's', 1, NULL, '${UPDATED_AT}');
      INSERT INTO obligation_terms (obligation_id, first_notice_on, second_notice_on, fee_basis_points, fee_disclosed, in_litigation, import_id, updated_at)
        VALUES ('${OBLIGATION_ID}', ${values}, 1, '${UPDATED_AT}');`;
    await expect(backend.execute(location, insert)).rejects.toThrow(/check constraint/i);
  });
});

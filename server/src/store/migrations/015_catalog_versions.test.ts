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
import { migration015 } from './015_catalog_versions.ts';

const PUBLISHED_AT = '2026-12-01T13:00:00.000Z';
const CATALOG = JSON.stringify({
  version: '2026.2',
  codes: [{ code: 'NC', label: 'No contesta', group: 'Sin contacto', class: 'attempt', fields: [], effects: [], shortcut: 'N', retired: false }],
});
const logger = createLogger({ level: 'silent' });

/** The catalog a server of the previous version published from its resources folder. */
const ROWS = [
  `INSERT INTO changes (agent_id, type, payload, created_at) VALUES (NULL, 'catalog.set', '${CATALOG}', '${PUBLISHED_AT}')`,
  `INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('catalog', 'c1', '2026.2', 1, '${PUBLISHED_AT}')`,
];

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

// The migration's position in the list, whatever number the integrator gives it.
const BEFORE = MIGRATIONS.findIndex((migration) => migration === migration015);

async function previousWithCatalog(backend: TestBackend): Promise<StoreLocation> {
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, BEFORE));
    for (const sql of ROWS) db.prepare(sql).run();
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, BEFORE));
    for (const sql of ROWS) await pool.query(sql);
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 015 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('moves the published catalog into the history and starts with no holds', async () => {
    const store = await backend.openStore(await previousWithCatalog(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    const history = await store.listCatalogVersions();
    expect(history.map((record) => ({ version: record.version, sha256: record.sha256, source: record.source, publishedAt: record.publishedAt, changeSeq: record.changeSeq }))).toEqual([
      { version: '2026.2', sha256: 'c1', source: 'resources', publishedAt: PUBLISHED_AT, changeSeq: 1 },
    ]);
    expect(history[0]!.catalog.codes.map((code) => code.code)).toEqual(['NC']);
    expect(await store.listCollectionHolds()).toEqual([]);
  });

  it('starts an empty history when no catalog was published', async () => {
    const location = await backend.createDatabase();
    const store = await backend.openStore(location);
    stores.push(store);
    expect(await store.listCatalogVersions()).toEqual([]);
  });
});

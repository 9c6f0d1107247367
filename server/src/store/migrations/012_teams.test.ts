import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { readBoard } from '../../board/board-route.ts';
import { BACKEND_NAMES, useTestBackend, type TestBackend } from '../../fixtures/backends.ts';
import { createLogger } from '../../logger.ts';
import { openDatabase } from '../database.ts';
import type { StoreLocation } from '../open-store.ts';
import { createPool, migrate as migratePostgres } from '../pg/database.ts';
import { PG_MIGRATIONS } from '../pg/migrations/index.ts';
import type { ServerStore } from '../types.ts';
import { MIGRATIONS } from './index.ts';

const CREATED_AT = '2026-12-01T13:00:00.000Z';
const NOW = new Date('2026-12-07T09:00:00-05:00');
const logger = createLogger({ level: 'silent' });

/** Two agents (one disabled), two team leads and an administrator, as a version-11 server stored them. */
const ROWS = [
  ['u-1', 'agente1', 'Agente 1', 'agent', 1],
  ['u-2', 'agente2', 'Agente 2', 'agent', 0],
  ['u-3', 'supervisor1', 'Supervisor 1', 'team-lead', 1],
  ['u-4', 'supervisor2', 'Supervisor 2', 'team-lead', 1],
  ['u-5', 'admin', 'Admin', 'admin', 1],
].map(
  ([id, username, fullName, role, active]) =>
    `INSERT INTO users (id, username, full_name, role, password_hash, active, created_at) VALUES ('${id}', '${username}', '${fullName}', '${role}', 'x', ${active}, '${CREATED_AT}')`,
);

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

async function version11WithUsers(backend: TestBackend): Promise<StoreLocation> {
  const location = await backend.createDatabase();
  if (backend.name === 'sqlite') {
    const { db, migration } = openDatabase(location.dbPath!, MIGRATIONS.slice(0, 11));
    expect(migration).toEqual({ from: 0, to: 11 });
    for (const sql of ROWS) db.prepare(sql).run();
    db.close();
  } else {
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    expect(await migratePostgres(pool, 'test', PG_MIGRATIONS.slice(0, 11))).toEqual({ from: 0, to: 11 });
    for (const sql of ROWS) await pool.query(sql);
  }
  return location;
}

describe.each(BACKEND_NAMES)('migration 012 on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const stores: ServerStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('puts existing agents and team leads in the team General', async () => {
    const store = await backend.openStore(await version11WithUsers(backend));
    stores.push(store);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);

    const teams = await store.listTeams();
    expect(teams).toEqual([{ id: 'general', name: 'General', agents: ['agente1', 'agente2'], leads: ['supervisor1', 'supervisor2'] }]);
  });

  it('keeps every active agent on the board of an existing team lead', async () => {
    const store = await backend.openStore(await version11WithUsers(backend));
    stores.push(store);

    const board = await readBoard(store, NOW, 'u-3');
    expect(board.agents.map((agent) => agent.username)).toEqual(['agente1']);
  });

  it('creates an empty General team in a new database', async () => {
    const store = await backend.openStore(await backend.createDatabase());
    stores.push(store);

    expect(await store.listTeams()).toEqual([{ id: 'general', name: 'General', agents: [], leads: [] }]);
  });
});

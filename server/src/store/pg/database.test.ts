import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../fixtures/backends.ts';
import { createLogger } from '../../logger.ts';
import type { StoreLocation } from '../open-store.ts';
import { DatabaseTooNewError } from '../schema-version.ts';
import { createPool, migrate } from './database.ts';
import { PG_MIGRATIONS } from './migrations/index.ts';

const logger = createLogger({ level: 'silent' });
const LATEST = PG_MIGRATIONS.length;

const pools: pg.Pool[] = [];
function poolFor(location: StoreLocation): pg.Pool {
  const pool = createPool(location.databaseUrl!, logger, 2);
  pools.push(pool);
  return pool;
}
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

async function tableNames(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  return result.rows.map((row) => row.name);
}

async function appliedVersions(pool: pg.Pool): Promise<number[]> {
  const result = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return result.rows.map((row) => row.version);
}

describe('PostgreSQL migrate', () => {
  const backend = useTestBackend('postgres');

  it('migrates an empty database to the latest version', async () => {
    const pool = poolFor(await backend.createDatabase());
    expect(await migrate(pool, 'test')).toEqual({ from: 0, to: LATEST });
    expect(await appliedVersions(pool)).toEqual(PG_MIGRATIONS.map((migration) => migration.version));
    expect(await tableNames(pool)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'debtors', 'obligations', 'persons', 'contact_points', 'imports', 'leases', 'changes', 'events', 'decisions', 'interactions', 'ledger', 'rejected_events', 'workstations', 'server_nodes', 'workstation_sockets', 'schema_migrations']),
    );
  });

  it('rejects an instant that would not sort in time order', async () => {
    const pool = poolFor(await backend.createDatabase());
    await migrate(pool, 'test');
    const insert = (createdAt: string) =>
      pool.query("INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES ($1, $1, 'Ana Peña', 'agent', 'h', $2)", [createdAt, createdAt]);

    await expect(insert('2026-12-04T15:00:00-05:00')).rejects.toThrow(/utc_instant/);
    await expect(insert('2026-12-04T20:00:00Z')).rejects.toThrow(/utc_instant/);
    await insert('2026-12-04T20:00:00.000Z');
  });

  it('orders identifiers byte by byte, as SQLite does', async () => {
    const pool = poolFor(await backend.createDatabase());
    await migrate(pool, 'test');
    for (const username of ['agente.b', 'Agente_c', 'agente-a', 'agente1']) {
      await pool.query("INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES ($1, $1, 'x', 'agent', 'h', '2026-12-04T20:00:00.000Z')", [username]);
    }
    const result = await pool.query<{ username: string }>('SELECT username FROM users ORDER BY username');
    expect(result.rows.map((row) => row.username)).toEqual(['Agente_c', 'agente-a', 'agente.b', 'agente1']);
  });

  it('migrates version 1 with rows to the latest and keeps the rows', async () => {
    const pool = poolFor(await backend.createDatabase());
    expect(await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
    const now = '2026-12-04T15:00:00.000Z';
    await pool.query("INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES ('u1', 'agente1', 'Ana Peña', 'agent', 'h', $1)", [now]);
    await pool.query(
      `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id, total_balance_cents, max_days_past_due, created_at, updated_at)
       VALUES ('CC-1', 'CC', '1', 'José Núñez', 'Bogotá', 'media', 4600, 'guion-media', 12345678901, 45, $1, $1)`,
      [now],
    );

    expect(await migrate(pool, 'test')).toEqual({ from: 1, to: LATEST });
    expect((await pool.query('SELECT username, full_name FROM users')).rows).toEqual([{ username: 'agente1', full_name: 'Ana Peña' }]);
    expect((await pool.query('SELECT full_name, segment, total_balance_cents FROM debtors')).rows).toEqual([
      { full_name: 'José Núñez', segment: 'media', total_balance_cents: 12345678901 },
    ]);

    // The new tables work against the old rows.
    await pool.query("INSERT INTO leases (debtor_id, agent_id, granted_at, expires_at) VALUES ('CC-1', 'u1', $1, '2026-12-11T15:00:00.000Z')", [now]);
    expect((await pool.query('SELECT COUNT(*) AS count FROM leases')).rows).toEqual([{ count: 1 }]);
  });

  it('migrates version 2 with a connected workstation to the latest', async () => {
    const pool = poolFor(await backend.createDatabase());
    expect(await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 2))).toEqual({ from: 0, to: 2 });
    await pool.query(`INSERT INTO workstations (id, agent_id, connected, last_seen_at, state) VALUES ('ws-1', 'u1', 2, '2026-12-04T15:00:00.000Z', '{"agentState":"available"}')`);

    expect(await migrate(pool, 'test')).toEqual({ from: 2, to: LATEST });
    expect((await pool.query('SELECT id, agent_id, state FROM workstations')).rows).toEqual([{ id: 'ws-1', agent_id: 'u1', state: '{"agentState":"available"}' }]);

    // Socket counts now live per server node; the old counter is left as it was.
    await pool.query("INSERT INTO server_nodes (id, started_at, seen_at) VALUES ('n1', '2026-12-04T15:00:00.000Z', '2026-12-04T15:00:00.000Z')");
    await pool.query("INSERT INTO workstation_sockets (workstation_id, node_id, sockets) VALUES ('ws-1', 'n1', 1)");
    await pool.query("DELETE FROM server_nodes WHERE id = 'n1'");
    expect((await pool.query('SELECT COUNT(*) AS count FROM workstation_sockets')).rows).toEqual([{ count: 0 }]);
  });

  it('migrates version 3 with a stored event to the latest', async () => {
    const pool = poolFor(await backend.createDatabase());
    expect(await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 3))).toEqual({ from: 0, to: 3 });
    await pool.query("INSERT INTO events (id, type, workstation_id, workstation_seq, agent_id, debtor_id, occurred_at, received_at, payload) VALUES ('e1', 'decision.recorded', 'ws-1', 1, 'u1', 'CC-1', '2026-12-04T15:00:00.000Z', '2026-12-04T15:00:01.000Z', '{}')");

    expect(await migrate(pool, 'test')).toEqual({ from: 3, to: LATEST });
    expect((await pool.query('SELECT id, workstation_seq FROM events')).rows).toEqual([{ id: 'e1', workstation_seq: 1 }]);

    // The evidence tables refer to the events already stored.
    await pool.query("INSERT INTO decision_links (event_id, workstation_id, workstation_seq, decision_id, chain_index, prev_hash, hash, received_at) VALUES ('e1', 'ws-1', 1, 'd1', 1, 'p', 'h', '2026-12-04T15:00:01.000Z')");
    await pool.query("INSERT INTO alarms (kind, workstation_id, agent_id, debtor_id, event_id, decision_id, detail, message, created_at) VALUES ('chain-gap', 'ws-1', 'u1', 'CC-1', 'e1', 'd1', '{}', 'Falta el registro 1', '2026-12-04T15:00:01.000Z')");
    expect((await pool.query('SELECT kind, acknowledged_at FROM alarms')).rows).toEqual([{ kind: 'chain-gap', acknowledged_at: null }]);
    await expect(pool.query("INSERT INTO alarms (kind, workstation_id, agent_id, detail, message, created_at) VALUES ('other', 'ws-1', 'u1', '{}', 'x', '2026-12-04T15:00:01.000Z')")).rejects.toThrow(/check constraint/);
  });

  it('leaves a migrated database alone when opened again', async () => {
    const pool = poolFor(await backend.createDatabase());
    await migrate(pool, 'test');
    expect(await migrate(pool, 'test')).toEqual({ from: LATEST, to: LATEST });
    expect(await appliedVersions(pool)).toHaveLength(LATEST);
  });

  it('rejects a database newer than the server', async () => {
    const location = await backend.createDatabase();
    await backend.markSchemaVersion(location, LATEST + 1);
    const pool = poolFor(location);

    const error = await migrate(pool, 'the test database').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseTooNewError);
    expect((error as Error).message).toMatch(new RegExp(`the test database has schema version ${LATEST + 1}.*supports up to ${LATEST}`));
    expect(await tableNames(pool)).toEqual(['schema_migrations']);
  });

  it('rolls back a failing migration with its version', async () => {
    const pool = poolFor(await backend.createDatabase());
    const broken = [...PG_MIGRATIONS, { version: LATEST + 1, name: 'broken', sql: 'CREATE TABLE extra (id text); INSERT INTO missing VALUES (1);' }];
    await expect(migrate(pool, 'test', broken)).rejects.toThrow(/relation "missing" does not exist/);

    expect(await migrate(pool, 'test')).toEqual({ from: LATEST, to: LATEST });
    expect(await tableNames(pool)).not.toContain('extra');
  });

  it('lets nodes that start together migrate once', async () => {
    const location = await backend.createDatabase();
    const reports = await Promise.all([migrate(poolFor(location), 'node a'), migrate(poolFor(location), 'node b'), migrate(poolFor(location), 'node c')]);

    expect(reports.filter((report) => report.from === 0)).toHaveLength(1);
    expect(reports.every((report) => report.to === LATEST)).toBe(true);
    expect(await appliedVersions(poolFor(location))).toEqual(PG_MIGRATIONS.map((migration) => migration.version));
  });
});

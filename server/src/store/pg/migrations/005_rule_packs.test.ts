import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../../fixtures/backends.ts';
import { createLogger } from '../../../logger.ts';
import { createPool, migrate } from '../database.ts';
import { PG_MIGRATIONS } from './index.ts';

const logger = createLogger({ level: 'silent' });
const PACK = '{"version":"2026.1","countsAsContact":"every-attempt","lastDialMarginMinutes":10,"extraBlockedDates":[],"calendarCorrections":{"add":[],"remove":[]},"monthlyMinimumWageCents":175090500}';
const PUBLISHED_AT = '2026-12-01T13:00:00.000Z';

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

describe('migration 005 on PostgreSQL', () => {
  const backend = useTestBackend('postgres');

  async function version4WithPublishedPack(): Promise<pg.Pool> {
    const location = await backend.createDatabase();
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    expect(await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 4))).toEqual({ from: 0, to: 4 });
    await pool.query("INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES ('u-admin', 'admin', 'Ana Ruiz', 'admin', 'h', $1)", [PUBLISHED_AT]);
    await pool.query("INSERT INTO changes (agent_id, type, payload, created_at) VALUES (NULL, 'catalog.set', '{\"version\":\"2026.1\"}', $1)", [PUBLISHED_AT]);
    await pool.query("INSERT INTO changes (agent_id, type, payload, created_at) VALUES (NULL, 'rulepack.set', $1, $2)", [PACK, PUBLISHED_AT]);
    await pool.query("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('catalog', 'c1', '2026.1', 1, $1)", [PUBLISHED_AT]);
    await pool.query("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('rulepack', 'r1', '2026.1', 2, $1)", [PUBLISHED_AT]);
    return pool;
  }

  it('moves the published rule pack into the history', async () => {
    const pool = await version4WithPublishedPack();
    expect(await migrate(pool, 'test')).toEqual({ from: 4, to: PG_MIGRATIONS.length });

    const rows = await pool.query('SELECT version, pack, sha256, source, published_by, published_at, reason, change_seq FROM rule_packs');
    expect(rows.rows).toEqual([
      { version: '2026.1', pack: PACK, sha256: 'r1', source: 'resources', published_by: null, published_at: PUBLISHED_AT, reason: null, change_seq: 2 },
    ]);
  });

  it('requires a publisher for admin rows only', async () => {
    const pool = await version4WithPublishedPack();
    await migrate(pool, 'test');
    const insert = (source: string, publishedBy: string | null) =>
      pool.query("INSERT INTO rule_packs (version, pack, sha256, source, published_by, published_at, change_seq) VALUES ('2026.2', '{}', 's', $1, $2, $3, 3)", [
        source,
        publishedBy,
        PUBLISHED_AT,
      ]);

    await expect(insert('admin', null)).rejects.toThrow(/check constraint/);
    await expect(insert('resources', 'u-admin')).rejects.toThrow(/check constraint/);
    await expect(insert('admin', 'u-missing')).rejects.toThrow(/foreign key constraint/);
    await insert('admin', 'u-admin');
    expect((await pool.query("SELECT COUNT(*) AS count FROM rule_packs WHERE source = 'admin'")).rows).toEqual([{ count: 1 }]);
  });
});

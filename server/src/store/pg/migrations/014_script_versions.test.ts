import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../../fixtures/backends.ts';
import { createLogger } from '../../../logger.ts';
import { createPool, migrate } from '../database.ts';
import { migration014 } from './014_script_versions.ts';
import { PG_MIGRATIONS } from './index.ts';

const logger = createLogger({ level: 'silent' });
const BEFORE = PG_MIGRATIONS.slice(0, PG_MIGRATIONS.indexOf(migration014));
const SCRIPT = '{"id":"guion-temprana","version":"2026.2","name":"Temprana","segment":"temprana","steps":[]}';
const PUBLISHED_AT = '2026-12-01T13:00:00.000Z';

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

describe('migration 014 on PostgreSQL', () => {
  const backend = useTestBackend('postgres');

  it('moves the scripts published from the resources folder into the history', async () => {
    const location = await backend.createDatabase();
    const pool = createPool(location.databaseUrl!, logger, 2);
    pools.push(pool);
    expect(await migrate(pool, 'test', BEFORE)).toEqual({ from: 0, to: BEFORE.length });
    await pool.query("INSERT INTO changes (agent_id, type, payload, created_at) VALUES (NULL, 'catalog.set', '{}', $1)", [PUBLISHED_AT]);
    await pool.query("INSERT INTO changes (agent_id, type, payload, created_at) VALUES (NULL, 'script.set', $1, $2)", [SCRIPT, PUBLISHED_AT]);
    await pool.query("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('catalog', 'c1', '2026.1', 1, $1)", [PUBLISHED_AT]);
    await pool.query("INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES ('script:guion-temprana', 's1', '2026.2', 2, $1)", [PUBLISHED_AT]);

    expect(await migrate(pool, 'test')).toEqual({ from: BEFORE.length, to: PG_MIGRATIONS.length });
    const rows = await pool.query('SELECT script_id, version, script, sha256, source, published_by, published_at, reason, change_seq FROM script_versions');
    expect(rows.rows).toEqual([
      { script_id: 'guion-temprana', version: '2026.2', script: SCRIPT, sha256: 's1', source: 'resources', published_by: null, published_at: PUBLISHED_AT, reason: null, change_seq: 2 },
    ]);
  });
});

import Database from 'better-sqlite3';
import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../fixtures/backends.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { createPool, migrate } from './pg/database.ts';
import { PG_MIGRATIONS } from './pg/migrations/index.ts';

const NOW = '2026-12-04T15:00:00.000Z';
const LATER = '2026-12-05T03:00:00.000Z';
const USER_SQL = "INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES ('u1', 'agente1', 'Ana Peña', 'agent', 'h', '2026-12-04T15:00:00.000Z')";
const SESSION_SQL = "INSERT INTO sessions (token_hash, user_id, workstation_id, created_at, expires_at) VALUES ('old-hash', 'u1', 'ws-1', '2026-12-04T15:00:00.000Z', '2026-12-05T03:00:00.000Z')";

describe('migration 7 on SQLite', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('keeps a version 6 session and lets it join no chain', () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir.path, 'server.sqlite');
    const before = openDatabase(path, MIGRATIONS.slice(0, 6));
    expect(before.migration.to).toBe(6);
    before.db.exec(USER_SQL);
    before.db.exec(SESSION_SQL);
    before.db.close();

    const { db, migration } = openDatabase(path);
    expect(migration).toEqual({ from: 6, to: MIGRATIONS.length });
    expect(db.prepare('SELECT token_hash, user_id, chain_id, expires_at FROM sessions').all()).toEqual([
      { token_hash: 'old-hash', user_id: 'u1', chain_id: null, expires_at: LATER },
    ]);

    db.prepare("INSERT INTO session_chains (id, user_id, workstation_id, created_at) VALUES ('c1', 'u1', 'ws-1', ?)").run(NOW);
    db.prepare("INSERT INTO renewal_tokens (token_hash, chain_id, created_at, expires_at) VALUES ('r1', 'c1', ?, ?)").run(NOW, LATER);
    db.prepare("UPDATE sessions SET chain_id = 'c1' WHERE token_hash = 'old-hash'").run();
    expect(() => db.prepare("INSERT INTO renewal_tokens (token_hash, chain_id, created_at, expires_at) VALUES ('r2', 'missing', ?, ?)").run(NOW, LATER)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE session_chains SET revoked_reason = 'other' WHERE id = 'c1'").run()).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('creates STRICT tables', () => {
    const dir = tempDir();
    dirs.push(dir);
    const { db } = openDatabase(join(dir.path, 'server.sqlite'));
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE name IN ('session_chains', 'renewal_tokens')").all() as { name: string; sql: string }[];
    expect(tables.map((table) => table.name).sort()).toEqual(['renewal_tokens', 'session_chains']);
    for (const table of tables) expect(table.sql, table.name).toMatch(/\)\s*STRICT$/);
    db.close();
    expect(new Database(join(dir.path, 'server.sqlite')).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });
});

describe('migration 7 on PostgreSQL', () => {
  const backend = useTestBackend('postgres');
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
  });

  it('keeps a version 6 session and lets it join no chain', async () => {
    const location = await backend.createDatabase();
    const pool = createPool(location.databaseUrl!, createLogger({ level: 'silent' }), 2);
    pools.push(pool);
    expect((await migrate(pool, 'test', PG_MIGRATIONS.slice(0, 6))).to).toBe(6);
    await pool.query(USER_SQL);
    await pool.query(SESSION_SQL);

    expect(await migrate(pool, 'test')).toEqual({ from: 6, to: PG_MIGRATIONS.length });
    expect((await pool.query('SELECT token_hash, user_id, chain_id, expires_at FROM sessions')).rows).toEqual([
      { token_hash: 'old-hash', user_id: 'u1', chain_id: null, expires_at: LATER },
    ]);

    await pool.query("INSERT INTO session_chains (id, user_id, workstation_id, created_at) VALUES ('c1', 'u1', 'ws-1', $1)", [NOW]);
    await pool.query("INSERT INTO renewal_tokens (token_hash, chain_id, created_at, expires_at) VALUES ('r1', 'c1', $1, $2)", [NOW, LATER]);
    await pool.query("UPDATE sessions SET chain_id = 'c1' WHERE token_hash = 'old-hash'");
    await expect(pool.query("INSERT INTO renewal_tokens (token_hash, chain_id, created_at, expires_at) VALUES ('r2', 'missing', $1, $2)", [NOW, LATER])).rejects.toThrow(/foreign key/);
    await expect(pool.query("UPDATE session_chains SET revoked_reason = 'other' WHERE id = 'c1'")).rejects.toThrow(/check constraint/);
  });
});

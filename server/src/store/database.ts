/**
 * Opening the server's SQLite file and bringing its schema up to date.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { assertConsecutive, DatabaseTooNewError, type MigrationReport } from './schema-version.ts';

export { DatabaseTooNewError, type MigrationReport } from './schema-version.ts';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) a database file with WAL journaling, durable commits and foreign keys,
 * then applies pending migrations.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): { db: SqliteDatabase; migration: MigrationReport } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // An acknowledged event must survive a power cut, so commits wait for the disk.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const migration = migrate(db, path, migrations);
    return { db, migration };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies each pending migration in its own transaction together with the new `user_version`. */
export function migrate(db: SqliteDatabase, path: string, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  assertConsecutive(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new DatabaseTooNewError(path, current, latest);

  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from: current, to: Math.max(current, latest) };
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}


/**
 * Opens the workstation's SQLite file with the settings every writer relies on.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import { migrate } from './migrate.ts';

export const DATABASE_FILE = 'workstation.sqlite';

export interface OpenDatabaseOptions {
  dataDir: string;
  logger: Logger;
  /** Path of a better-sqlite3 addon built for another ABI (Electron's); Node's own build otherwise. */
  nativeBinding?: string | undefined;
}

export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, DATABASE_FILE);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});

  try {
    db.pragma('journal_mode = WAL');
    // FULL syncs the WAL on every commit: a typification counts as saved only once it is on disk.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.logger);
  } catch (error) {
    db.close();
    throw error;
  }

  options.logger.info({ file }, 'open database: ready');
  return db;
}

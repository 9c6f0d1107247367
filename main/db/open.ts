/**
 * Opens the workstation's SQLite file with the settings every writer relies on, after checking
 * that it lives on a local disk and that it is not damaged.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '@gestiona/core/result';
import type { Logger } from '../logger.ts';
import { isCorruptionError, keepDamagedDatabase, quickCheck } from './integrity.ts';
import { migrate } from './migrate.ts';
import { assertLocalDataDir, type PlacementProbe } from './placement.ts';

export const DATABASE_FILE = 'workstation.sqlite';

export interface OpenDatabaseOptions {
  dataDir: string;
  logger: Logger;
  /** Path of a better-sqlite3 addon built for another ABI (Electron's); Node's own build otherwise. */
  nativeBinding?: string | undefined;
  /** Machine facts that the network-path check reads; tests pass their own. */
  placement?: PlacementProbe;
}

class DamagedDatabaseError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`quick_check found ${problems.length} problem(s): ${problems.slice(0, 5).join('; ')}`);
    this.name = 'DamagedDatabaseError';
    this.problems = problems;
  }
}

/**
 * Opens, checks and migrates the database. Throws an AppError in Spanish when the data folder is
 * on the network or the file is damaged. A damaged file is renamed first, never deleted.
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  // Before mkdir, so that nothing is created on a share.
  assertLocalDataDir(options.dataDir, options.placement);
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, DATABASE_FILE);
  const existed = existsSync(file);

  let db: Database.Database | null = null;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    db.pragma('journal_mode = WAL');
    // FULL syncs the WAL on every commit: a typification counts as saved only once it is on disk.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');

    // Checked before migrating, so that a migration never writes into a damaged file.
    const problems = existed ? quickCheck(db) : [];
    if (problems.length > 0) throw new DamagedDatabaseError(problems);
    migrate(db, options.logger);
  } catch (error) {
    db?.close();
    if (error instanceof DamagedDatabaseError || isCorruptionError(error)) throw rejectDamagedDatabase(file, error, options.logger);
    throw error;
  }

  options.logger.info({ file }, 'open database: ready');
  return db;
}

/** Keeps the damaged file under a new name and returns the error that stops the start-up. */
function rejectDamagedDatabase(file: string, error: unknown, logger: Logger): AppError {
  const problems = error instanceof DamagedDatabaseError ? error.problems.slice(0, 20) : undefined;
  let keptAs: string;
  try {
    keptAs = keepDamagedDatabase(file, new Date());
  } catch (renameError) {
    logger.fatal({ file, err: renameError, damage: errorText(error), problems }, 'open database: damaged, and renaming it failed');
    return new AppError(
      'conflict',
      `La base de datos local de Gestiona está dañada (${file}) y no se pudo apartar para conservarla. ` +
        'No la borre ni la mueva: avise a soporte técnico, que debe recuperar de ella lo que no alcanzó a enviarse al servidor central.',
    );
  }

  logger.fatal({ file, keptAs, err: error, problems }, 'open database: damaged, file kept under a new name');
  return new AppError(
    'conflict',
    `La base de datos local de Gestiona está dañada y no se puede usar. No se borró nada: el archivo dañado se guardó como ${keptAs}. ` +
      'Avise a soporte técnico antes de volver a abrir Gestiona: al abrirla de nuevo se creará una base nueva y su cartera se descargará otra vez ' +
      'del servidor central, pero las gestiones que no se habían enviado solo están en la copia guardada.',
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

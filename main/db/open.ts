/**
 * Opens the workstation's SQLite file with the settings every writer relies on, after checking
 * that it lives on a local disk, that it opens under its key and that it is not damaged.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '@gestiona/core/result';
import type { Logger } from '../logger.ts';
import type { SecretStore } from '../secret-store.ts';
import { applyDatabaseKey, createDatabaseKey, databaseFileKind, encryptPlainDatabase, readDatabaseKey } from './encryption.ts';
import { isCorruptionError, keepDamagedDatabase, quickCheck } from './integrity.ts';
import { migrate } from './migrate.ts';
import { assertLocalDataDir, type PlacementProbe } from './placement.ts';

export const DATABASE_FILE = 'workstation.sqlite';

export interface OpenDatabaseOptions {
  dataDir: string;
  logger: Logger;
  /**
   * The 32-byte key the file is encrypted with (see `encryption.ts`). A plain file of an earlier
   * version is encrypted under it on the spot. Without a key the file stays plain: only tests of
   * a single store leave it out, while `openWorkstationDatabase` always passes one.
   */
  key?: Buffer | undefined;
  /** Path of the SQLite addon built for another ABI (Electron's); Node's own build otherwise. */
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
 * Opens the workstation's database with the key kept in `keyStore`, making the key at the first
 * start. A file that exists but cannot be opened with the stored key is never written
 * over: it is renamed and kept, and start-up stops with a Spanish message.
 */
export async function openWorkstationDatabase(options: Omit<OpenDatabaseOptions, 'key'> & { keyStore: SecretStore }): Promise<Database.Database> {
  assertLocalDataDir(options.dataDir, options.placement);
  const file = path.join(options.dataDir, DATABASE_FILE);
  const kind = databaseFileKind(file);
  let key = await readDatabaseKey(options.keyStore);
  if (key === null && kind === 'encrypted') throw rejectUnreadableDatabase(file, 'key-missing', options.logger);
  if (key === null) {
    key = await createDatabaseKey(options.keyStore);
    options.logger.info({ file, existing: kind }, 'open database: created the database key');
  }
  return openDatabase({ dataDir: options.dataDir, logger: options.logger, nativeBinding: options.nativeBinding, placement: options.placement, key });
}

/**
 * Opens, checks and migrates the database. Throws an AppError in Spanish when the data folder is
 * on the network, the key does not open the file, or the file is damaged. Such a file is renamed
 * first, never deleted.
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  // Before mkdir, so that nothing is created on a share.
  assertLocalDataDir(options.dataDir, options.placement);
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, DATABASE_FILE);
  const kind = databaseFileKind(file);
  const existed = kind !== 'missing';
  if (kind === 'encrypted' && options.key === undefined) {
    throw new Error(`${file} is encrypted and was opened without its key; open it through openWorkstationDatabase`);
  }

  let db: Database.Database | null = null;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    if (options.key !== undefined && kind === 'plain') {
      encryptPlainDatabase(db, options.key);
      options.logger.info({ file }, 'open database: plain file of an earlier version encrypted');
    } else if (options.key !== undefined) {
      applyDatabaseKey(db, options.key);
      if (kind === 'encrypted') assertKeyOpens(db);
    }
    db.pragma('journal_mode = WAL');
    // FULL syncs the WAL on every commit: a typification counts as saved only once it is on disk.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // VACUUM and large sorts would otherwise spill into temporary files, which the cipher may not cover.
    db.pragma('temp_store = MEMORY');
    // Deleted rows are overwritten with zeros, so a sign-out or a lease end leaves nothing to undelete.
    db.pragma('secure_delete = ON');

    // Checked before migrating, so that a migration never writes into a damaged file.
    const problems = existed ? quickCheck(db) : [];
    if (problems.length > 0) throw new DamagedDatabaseError(problems);
    migrate(db, options.logger);
  } catch (error) {
    db?.close();
    if (error instanceof WrongKeyError) throw rejectUnreadableDatabase(file, 'key-mismatch', options.logger);
    if (error instanceof DamagedDatabaseError || isCorruptionError(error)) throw rejectDamagedDatabase(file, error, options.logger);
    throw error;
  }

  options.logger.info({ file }, 'open database: ready');
  return db;
}

class WrongKeyError extends Error {}

/**
 * With the wrong key SQLite reads page 1 as noise and fails with SQLITE_NOTADB. Page 1 is read here,
 * before the integrity check, so that a file that is merely under another key is not called damaged.
 */
function assertKeyOpens(db: Database.Database): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'SQLITE_NOTADB') throw new WrongKeyError();
    throw error;
  }
}

/**
 * Keeps a file that no stored key opens under a new name and returns the error that stops the
 * start-up. The next start finds no file and makes a new one; the portfolio comes again from the
 * server, but the events that had not been sent stay only in the kept copy.
 */
function rejectUnreadableDatabase(file: string, reason: 'key-missing' | 'key-mismatch', logger: Logger): AppError {
  let keptAs: string;
  try {
    keptAs = keepDamagedDatabase(file, new Date(), 'unreadable');
  } catch (renameError) {
    logger.fatal({ file, reason, err: renameError }, 'open database: cannot decrypt, and renaming it failed');
    return new AppError(
      'conflict',
      `La base de datos local de Gestiona (${file}) está cifrada con una clave que este equipo ya no tiene, y no se pudo apartar para conservarla. ` +
        'No la borre ni la mueva: avise a soporte técnico.',
    );
  }

  // The unsent events cannot be counted without the key, so the log says that some may be lost.
  logger.error({ file, keptAs, reason, unsentEvents: 'unknown' }, 'open database: cannot decrypt; file kept, its unsent outbox events are lost to this workstation');
  return new AppError(
    'conflict',
    `La base de datos local de Gestiona está cifrada con una clave que este equipo ya no tiene (por ejemplo, tras cambiar de usuario de Windows o restablecer el llavero del sistema), ` +
      `así que no se puede leer. No se borró: se guardó como ${keptAs}. Al abrir Gestiona de nuevo se creará una base nueva y su cartera se descargará otra vez del servidor central. ` +
      'Las gestiones que no se habían enviado al servidor solo están en la copia guardada: avise a soporte técnico.',
  );
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

/**
 * Schema migrations. The schema version lives in `PRAGMA user_version`. Each pending migration
 * runs in its own transaction together with the version bump, so a crash leaves the database at
 * the last completed version.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '@gestiona/core/result';
import type { Logger } from '../logger.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database up to the last of `migrations`; rejects a database newer than this build. */
export function migrate(db: Database, logger: Logger, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = migrations.length;

  if (current > latest) {
    throw new AppError(
      'conflict',
      `La base de datos local (${db.name}) tiene la versión ${current} y esta aplicación solo conoce hasta la ${latest}. ` +
        'Instale la versión más reciente de Gestiona; no abra estos datos con una versión anterior.',
    );
  }

  for (const migration of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      // PRAGMA takes no bound parameters; the version is an integer we own.
      db.pragma(`user_version = ${migration.version}`);
    })();
    logger.info({ version: migration.version, migration: migration.name }, 'migrate: applied');
  }
  return latest;
}

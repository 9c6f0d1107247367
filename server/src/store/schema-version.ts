/** Checks shared by the SQLite and PostgreSQL migration runners. */
import type { Migration } from './migrations/types.ts';

/** The database was written by a newer server; opening it could lose data the newer schema holds. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly path: string,
    readonly databaseVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `Database ${path} has schema version ${databaseVersion}, but this server supports up to ${supportedVersion}. ` +
        'Run a server at least as new as the one that last wrote it.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export interface MigrationReport {
  from: number;
  to: number;
}

export function assertConsecutive(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`);
    }
  });
}

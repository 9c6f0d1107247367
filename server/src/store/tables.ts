/** The prepared-statement wrappers of one open database, passed together to the store operations. */
import { ChangesTable } from './changes.ts';
import { PublishedContentTable } from './content.ts';
import type { SqliteDatabase } from './database.ts';
import { DebtorsTable } from './debtors.ts';
import { EventsTable } from './events.ts';
import { ImportsTable } from './imports.ts';
import { LeasesTable } from './leases.ts';
import { UsersTable } from './users.ts';
import { WorkstationsTable } from './workstations.ts';

export interface Tables {
  db: SqliteDatabase;
  users: UsersTable;
  debtors: DebtorsTable;
  leases: LeasesTable;
  changes: ChangesTable;
  events: EventsTable;
  imports: ImportsTable;
  content: PublishedContentTable;
  workstations: WorkstationsTable;
  leaseDurationMs: number;
}

export function prepareTables(db: SqliteDatabase, leaseDurationMs: number): Tables {
  return {
    db,
    users: new UsersTable(db),
    debtors: new DebtorsTable(db),
    leases: new LeasesTable(db),
    changes: new ChangesTable(db),
    events: new EventsTable(db),
    imports: new ImportsTable(db),
    content: new PublishedContentTable(db),
    workstations: new WorkstationsTable(db),
    leaseDurationMs,
  };
}

/** The table classes bound to one connection, passed together to the store operations. */
import { AlarmsTable } from './alarms.ts';
import { CatalogVersionsTable } from '../catalog/catalog-versions.ts';
import { CollectionHoldsTable } from '../catalog/holds.ts';
import { ChangesTable } from './changes.ts';
import { ComplianceFactsTable } from './compliance-facts.ts';
import { PublishedContentTable } from './content.ts';
import { DebtorsTable } from './debtors.ts';
import { DebtorViewsTable } from './debtor-views.ts';
import { DecisionLinksTable } from './decision-links.ts';
import { EventsTable } from './events.ts';
import { ImportsTable } from './imports.ts';
import { LeaseReleasesTable } from './lease-releases.ts';
import { LeasesTable } from './leases.ts';
import { ObligationTermsTable } from '../obligation-terms/terms-table.ts';
import { PromisesTable } from '../promises/promise-table.ts';
import { RulePacksTable } from './rule-packs.ts';
import { ServerNodesTable } from './server-nodes.ts';
import type { SqlConnection } from './sql.ts';
import { TeamsTable } from './teams.ts';
import { UsersTable } from './users.ts';
import { WorkstationsTable } from './workstations.ts';

export interface Tables {
  users: UsersTable;
  debtors: DebtorsTable;
  debtorViews: DebtorViewsTable;
  leases: LeasesTable;
  leaseReleases: LeaseReleasesTable;
  changes: ChangesTable;
  events: EventsTable;
  imports: ImportsTable;
  content: PublishedContentTable;
  workstations: WorkstationsTable;
  nodes: ServerNodesTable;
  alarms: AlarmsTable;
  decisionLinks: DecisionLinksTable;
  facts: ComplianceFactsTable;
  obligationTerms: ObligationTermsTable;
  promises: PromisesTable;
  rulePacks: RulePacksTable;
  catalogVersions: CatalogVersionsTable;
  holds: CollectionHoldsTable;
  teams: TeamsTable;
  leaseDurationMs: number;
}

export function bindTables(sql: SqlConnection, leaseDurationMs: number): Tables {
  return {
    users: new UsersTable(sql),
    debtors: new DebtorsTable(sql),
    debtorViews: new DebtorViewsTable(sql),
    leases: new LeasesTable(sql),
    leaseReleases: new LeaseReleasesTable(sql),
    changes: new ChangesTable(sql),
    events: new EventsTable(sql),
    imports: new ImportsTable(sql),
    content: new PublishedContentTable(sql),
    workstations: new WorkstationsTable(sql),
    nodes: new ServerNodesTable(sql),
    alarms: new AlarmsTable(sql),
    decisionLinks: new DecisionLinksTable(sql),
    facts: new ComplianceFactsTable(sql),
    obligationTerms: new ObligationTermsTable(sql),
    promises: new PromisesTable(sql),
    rulePacks: new RulePacksTable(sql),
    catalogVersions: new CatalogVersionsTable(sql),
    holds: new CollectionHoldsTable(sql),
    teams: new TeamsTable(sql),
    leaseDurationMs,
  };
}

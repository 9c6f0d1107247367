/** The facts the server's re-evaluation reads: the rule pack in force, persons, contact points and the person's ledger. */
import { catalogSchema, type Catalog } from '@gestiona/core/catalog';
import { rulePackSchema, type RulePack } from '@gestiona/core/compliance/types';
import type { Channel, DocType, LedgerEntry, PartyRole, Person } from '@gestiona/core/domain';
import { personZones } from '../import/time-zones.ts';
import { ScheduleRequestsTable } from '../schedule-requests/table.ts';
import { phoneZones } from './debtors.ts';
import type { KnownContactPoint } from '../compliance/reevaluate.ts';
import { toLedgerEntry } from './events.ts';
import type { SqlConnection } from './sql.ts';

export interface KnownPerson {
  role: PartyRole;
  fullName: string;
  /** The person's time zones and the R9 request in force at the contact, as the workstation's feed carries them. */
  facts: Pick<Person, 'timeZones' | 'scheduleRequest'>;
}

export interface PersonFactsRow {
  role: PartyRole;
  full_name: string;
  doc_type: DocType | null;
  doc_number: string | null;
  time_zone: string | null;
  residence_country: string | null;
}

export interface ContactPointRow {
  person_id: string;
  channel: Channel;
  address: string;
  auth_source: string | null;
  auth_revoked_at: string | null;
}

/** Whether the person can have a schedule request (R9) on file: only debtors and co-obligors with a document. */
export const mayHaveScheduleRequest = (row: PersonFactsRow): boolean => row.role !== 'reference' && row.doc_type !== null && row.doc_number !== null;

export function knownPersonOf(row: PersonFactsRow, scheduleRequest: KnownPerson['facts']['scheduleRequest']): KnownPerson {
  return { role: row.role, fullName: row.full_name, facts: { timeZones: personZones(row.time_zone, row.residence_country), scheduleRequest } };
}

export function toKnownContactPoint(row: ContactPointRow): KnownContactPoint {
  return {
    personId: row.person_id,
    channel: row.channel,
    hasAuthorization: row.auth_source !== null,
    revokedAt: row.auth_revoked_at,
    timeZones: phoneZones(row.channel, row.address).timeZones ?? [],
  };
}

export class ComplianceFactsTable {
  constructor(private readonly sql: SqlConnection) {}

  /**
   * Returns the rule pack last published to the workstations, or null before any was published. The
   * re-evaluation of a contact uses the pack in force at its instant instead (`RulePacksTable.inForceAt`).
   */
  async currentRulePack(): Promise<RulePack | null> {
    const payload = await this.publishedPayload('rulepack');
    return payload === null ? null : rulePackSchema.parse(payload);
  }

  /** Returns the typification catalog last published to the workstations, or null before any was published. */
  async currentCatalog(): Promise<Catalog | null> {
    const payload = await this.publishedPayload('catalog');
    return payload === null ? null : catalogSchema.parse(payload);
  }

  /** Reads the last published content through `published_content`, because scanning the feed by type would read every debtor entry. */
  private async publishedPayload(key: 'rulepack' | 'catalog'): Promise<unknown> {
    const row = await this.sql.get<{ payload: string }>(
      'SELECT changes.payload FROM published_content JOIN changes ON changes.seq = published_content.change_seq WHERE published_content.key = ?',
      [key],
    );
    return row === undefined ? null : (JSON.parse(row.payload) as unknown);
  }

  /** Returns the person as the server stores them, with the schedule request in force at `at`. */
  async person(debtorId: string, personId: string, at: Date): Promise<KnownPerson | null> {
    const row = await this.sql.get<PersonFactsRow>(
      'SELECT role, full_name, doc_type, doc_number, time_zone, residence_country FROM persons WHERE id = ? AND debtor_id = ?',
      [personId, debtorId],
    );
    if (row === undefined) return null;
    const scheduleRequest = mayHaveScheduleRequest(row) ? await new ScheduleRequestsTable(this.sql).currentAt(row.doc_type!, row.doc_number!, at) : null;
    return knownPersonOf(row, scheduleRequest);
  }

  async debtorName(debtorId: string): Promise<string | null> {
    return (await this.sql.get<{ full_name: string }>('SELECT full_name FROM debtors WHERE id = ?', [debtorId]))?.full_name ?? null;
  }

  async contactPoint(contactPointId: string): Promise<KnownContactPoint | null> {
    const row = await this.sql.get<ContactPointRow>('SELECT person_id, channel, address, auth_source, auth_revoked_at FROM contact_points WHERE id = ?', [contactPointId]);
    return row === undefined ? null : toKnownContactPoint(row);
  }

  /** Returns the person's ledger up to `until`, from every workstation, without the given entries. */
  async personLedger(personId: string, until: Date, excludedIds: readonly string[]): Promise<LedgerEntry[]> {
    const rows = await this.sql.all<Parameters<typeof toLedgerEntry>[0]>('SELECT * FROM ledger WHERE person_id = ? AND at <= ? ORDER BY at, id', [
      personId,
      until.toISOString(),
    ]);
    const excluded = new Set(excludedIds);
    return rows.filter((row) => !excluded.has(row.id)).map(toLedgerEntry);
  }

  /** Returns the rule-pack version a stored decision names, or null when that decision has not arrived. */
  async decisionRulePackVersion(decisionId: string): Promise<string | null> {
    const row = await this.sql.get<{ rule_pack_version: string }>('SELECT rule_pack_version FROM decisions WHERE id = ?', [decisionId]);
    return row?.rule_pack_version ?? null;
  }

  /** Interaction ids of the contacts placed under one decision, which are that decision's own contact. */
  async interactionsOfDecision(decisionId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>('SELECT id FROM interactions WHERE decision_id = ?', [decisionId]);
    return rows.map((row) => row.id);
  }
}

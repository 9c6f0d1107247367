/** The facts the server's re-evaluation reads: the rule pack in force, persons, contact points and the person's ledger. */
import { catalogSchema, type Catalog } from '@gestiona/core/catalog';
import { rulePackSchema, type RulePack } from '@gestiona/core/compliance/types';
import type { Channel, LedgerEntry, PartyRole } from '@gestiona/core/domain';
import type { KnownContactPoint } from '../compliance/reevaluate.ts';
import { toLedgerEntry } from './events.ts';
import type { SqlConnection } from './sql.ts';

export interface KnownPerson {
  role: PartyRole;
  fullName: string;
}

export class ComplianceFactsTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Returns the rule pack last published to the workstations, or null before any was published. */
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

  async person(debtorId: string, personId: string): Promise<KnownPerson | null> {
    const row = await this.sql.get<{ role: PartyRole; full_name: string }>('SELECT role, full_name FROM persons WHERE id = ? AND debtor_id = ?', [
      personId,
      debtorId,
    ]);
    return row === undefined ? null : { role: row.role, fullName: row.full_name };
  }

  async debtorName(debtorId: string): Promise<string | null> {
    return (await this.sql.get<{ full_name: string }>('SELECT full_name FROM debtors WHERE id = ?', [debtorId]))?.full_name ?? null;
  }

  async contactPoint(contactPointId: string): Promise<KnownContactPoint | null> {
    const row = await this.sql.get<{ person_id: string; channel: Channel; auth_source: string | null; auth_revoked_at: string | null }>(
      'SELECT person_id, channel, auth_source, auth_revoked_at FROM contact_points WHERE id = ?',
      [contactPointId],
    );
    if (row === undefined) return null;
    return { personId: row.person_id, channel: row.channel, hasAuthorization: row.auth_source !== null, revokedAt: row.auth_revoked_at };
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

  /** Interaction ids of the contacts placed under one decision, which are that decision's own contact. */
  async interactionsOfDecision(decisionId: string): Promise<string[]> {
    const rows = await this.sql.all<{ id: string }>('SELECT id FROM interactions WHERE decision_id = ?', [decisionId]);
    return rows.map((row) => row.id);
  }
}

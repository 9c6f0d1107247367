/** Debtors with their obligations, persons and contact points, and the snapshot the feed carries. */
import { toBogotaIso } from '@gestiona/core/format';
import type { Channel, ContactPoint, DebtorSnapshot, DocType, PartyRole, Person, Product, Segment } from '@gestiona/core/domain';
import { segmentDebtor, type DebtorSegmentation } from '@gestiona/core/segmentation';
import { foreignPhoneCountry, personZones, zonesOfCountry } from '../import/time-zones.ts';
import type { PortfolioContactPoint, PortfolioDebtor, PortfolioObligation, PortfolioPerson } from '../import/types.ts';
import { ScheduleRequestsTable } from '../schedule-requests/table.ts';
import { ObligationTermsTable } from '../obligation-terms/terms-table.ts';
import type { SqlConnection } from './sql.ts';

interface DebtorRow {
  id: string;
  doc_type: DocType;
  doc_number: string;
  full_name: string;
  city: string | null;
  /** The days-past-due band; the strategy's segment is `segment_id` (migration 013). */
  segment: Segment;
  segment_id: string | null;
  segment_name: string | null;
  treatment_id: string | null;
  strategy_version: string | null;
  segment_assigned_at: string | null;
  priority: number;
  script_id: string;
}

interface ObligationRow {
  id: string;
  creditor: string;
  number: string;
  product: Product;
  balance_cents: number;
  overdue_cents: number;
  days_past_due: number;
  due_date: string | null;
  written_off: number;
}

interface PersonRow {
  id: string;
  role: PartyRole;
  doc_type: DocType | null;
  doc_number: string | null;
  full_name: string;
  relation: string | null;
  time_zone: string | null;
  residence_country: string | null;
}

interface ContactPointRow {
  id: string;
  person_id: string;
  channel: Channel;
  address: string;
  auth_source: string | null;
  auth_granted_on: string | null;
  auth_evidence: string | null;
  auth_revoked_at: string | null;
  flagged: string | null;
}

export class DebtorsTable {
  constructor(private readonly sql: SqlConnection) {}

  /** R9 schedule requests, kept by the document of a debtor or co-obligor. */
  get scheduleRequests(): ScheduleRequestsTable {
    return new ScheduleRequestsTable(this.sql);
  }

  async exists(debtorId: string): Promise<boolean> {
    return (await this.sql.get('SELECT id FROM debtors WHERE id = ?', [debtorId])) !== undefined;
  }

  async hasPerson(debtorId: string, personId: string): Promise<boolean> {
    return (await this.sql.get('SELECT id FROM persons WHERE id = ? AND debtor_id = ?', [personId, debtorId])) !== undefined;
  }

  /** Debtor id that already owns this creditor's obligation number, if any. */
  async obligationOwnerOf(creditor: string, number: string): Promise<string | null> {
    const row = await this.sql.get<{ debtor_id: string }>('SELECT debtor_id FROM obligations WHERE creditor = ? AND number = ?', [creditor, number]);
    return row?.debtor_id ?? null;
  }

  /**
   * Writes one debtor of a file with its obligations, persons and contact points. Obligations are
   * added or updated, and those the file leaves out are kept. Persons and contact points are
   * replaced by the file's, but flags and revocations of unchanged addresses are kept.
   * Returns whether the debtor was new, how many obligations were new, and the factory segmentation
   * (days-past-due band and totals). The strategy's segment, priority and script are set by
   * `resegmentDebtors` (server/src/strategy/resegment.ts) in the same transaction.
   */
  async save(debtor: PortfolioDebtor, now: Date): Promise<{ created: boolean; obligationsCreated: number; segmentation: DebtorSegmentation }> {
    const at = now.toISOString();
    const created = !(await this.exists(debtor.id));
    // The segment columns get placeholders here: the update below recomputes them from all the debtor's obligations.
    await this.sql.run(
      `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id,
                            total_balance_cents, max_days_past_due, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'preventiva', 0, 'guion-preventiva', 0, 0, ?, ?)
       ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, city = excluded.city, updated_at = excluded.updated_at`,
      [debtor.id, debtor.docType, debtor.docNumber, debtor.fullName, debtor.city, at, at],
    );
    // A file without the optional score column keeps the score an earlier file gave.
    if (debtor.score !== undefined && debtor.score !== null) await this.sql.run('UPDATE debtors SET score = ? WHERE id = ?', [debtor.score, debtor.id]);

    let obligationsCreated = 0;
    for (const obligation of debtor.obligations) {
      if ((await this.obligationOwnerOf(obligation.creditor, obligation.number)) === null) obligationsCreated += 1;
      await this.saveObligation(debtor.id, obligation, at);
    }

    await this.savePersons(debtor.id, debtor.persons);

    const inputs = await this.sql.all<{ days_past_due: number; written_off: number; balance_cents: number }>(
      'SELECT days_past_due, written_off, balance_cents FROM obligations WHERE debtor_id = ?',
      [debtor.id],
    );
    const segmentation = segmentDebtor(
      inputs.map((row) => ({ daysPastDue: row.days_past_due, writtenOff: row.written_off === 1, balanceCents: row.balance_cents })),
    );
    await this.sql.run(
      `UPDATE debtors SET segment = ?, priority = ?, script_id = ?, total_balance_cents = ?, max_days_past_due = ?, updated_at = ?
       WHERE id = ?`,
      [segmentation.segment, segmentation.priority, segmentation.scriptId, segmentation.totalBalanceCents, segmentation.maxDaysPastDue, at, debtor.id],
    );
    return { created, obligationsCreated, segmentation };
  }

  private async saveObligation(debtorId: string, obligation: PortfolioObligation, at: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due,
                                due_date, written_off, updated_at,
                                origination_channel, origination_city, origination_date, origination_amount_cents,
                                visit_credit_type, visit_allowed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET product = excluded.product, balance_cents = excluded.balance_cents,
         overdue_cents = excluded.overdue_cents, days_past_due = excluded.days_past_due, due_date = excluded.due_date,
         written_off = excluded.written_off, updated_at = excluded.updated_at,
         origination_channel = COALESCE(excluded.origination_channel, obligations.origination_channel),
         origination_city = COALESCE(excluded.origination_city, obligations.origination_city),
         origination_date = COALESCE(excluded.origination_date, obligations.origination_date),
         origination_amount_cents = COALESCE(excluded.origination_amount_cents, obligations.origination_amount_cents),
         visit_credit_type = excluded.visit_credit_type, visit_allowed = excluded.visit_allowed`,
      [
        obligation.id,
        debtorId,
        obligation.creditor,
        obligation.number,
        obligation.product,
        obligation.balanceCents,
        obligation.overdueCents,
        obligation.daysPastDue,
        obligation.dueDate,
        obligation.writtenOff ? 1 : 0,
        at,
        obligation.originationChannel ?? null,
        obligation.originationCity ?? null,
        obligation.originationDate ?? null,
        obligation.originationAmountCents ?? null,
        obligation.visitCreditType ?? null,
        obligation.visitAllowed ? 1 : 0,
      ],
    );
  }

  private async savePersons(debtorId: string, persons: readonly PortfolioPerson[]): Promise<void> {
    const keep = new Set(persons.map((person) => person.id));
    for (const { id } of await this.sql.all<{ id: string }>('SELECT id FROM persons WHERE debtor_id = ?', [debtorId])) {
      if (!keep.has(id)) await this.sql.run('DELETE FROM persons WHERE id = ?', [id]);
    }

    for (const [position, person] of persons.entries()) {
      await this.sql.run(
        `INSERT INTO persons (id, debtor_id, role, doc_type, doc_number, full_name, relation, position, time_zone, residence_country, postal_address)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET role = excluded.role, doc_type = excluded.doc_type, doc_number = excluded.doc_number,
           full_name = excluded.full_name, relation = excluded.relation, position = excluded.position,
           time_zone = excluded.time_zone, residence_country = excluded.residence_country, postal_address = excluded.postal_address`,
        [
          person.id,
          debtorId,
          person.role,
          person.docType,
          person.docNumber,
          person.fullName,
          person.relation,
          position,
          person.timeZone,
          person.residenceCountry,
          person.postalAddress,
        ],
      );
      await this.saveContactPoints(person.id, person.contactPoints);
    }
  }

  private async saveContactPoints(personId: string, points: readonly PortfolioContactPoint[]): Promise<void> {
    const keep = new Set(points.map((point) => point.id));
    for (const { id } of await this.sql.all<{ id: string }>('SELECT id FROM contact_points WHERE person_id = ?', [personId])) {
      if (!keep.has(id)) await this.sql.run('DELETE FROM contact_points WHERE id = ?', [id]);
    }

    for (const [position, point] of points.entries()) {
      const authorization = point.authorization;
      // A flag or a revocation belongs to an address: it survives a re-import of the same address
      // and is cleared when the creditor sends a different one.
      await this.sql.run(
        `INSERT INTO contact_points (id, person_id, channel, address, auth_source, auth_granted_on, auth_evidence, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           flagged = CASE WHEN contact_points.address = excluded.address THEN contact_points.flagged ELSE NULL END,
           auth_revoked_at = CASE WHEN contact_points.address = excluded.address AND contact_points.channel = excluded.channel
                                  THEN contact_points.auth_revoked_at ELSE NULL END,
           channel = excluded.channel, address = excluded.address, auth_source = excluded.auth_source,
           auth_granted_on = excluded.auth_granted_on, auth_evidence = excluded.auth_evidence, position = excluded.position`,
        [
          point.id,
          personId,
          point.channel,
          point.address,
          authorization?.source ?? null,
          authorization?.grantedOn ?? null,
          authorization?.evidence ?? null,
          position,
        ],
      );
    }
  }

  async snapshot(debtorId: string, leaseUntil: Date): Promise<DebtorSnapshot | null> {
    const debtor = await this.sql.get<DebtorRow>(
      `SELECT id, doc_type, doc_number, full_name, city, segment, segment_id, segment_name, treatment_id, strategy_version,
              segment_assigned_at, priority, script_id
       FROM debtors WHERE id = ?`,
      [debtorId],
    );
    if (!debtor) return null;

    const obligationRows = await this.sql.all<ObligationRow>('SELECT * FROM obligations WHERE debtor_id = ? ORDER BY days_past_due DESC, creditor, number', [
      debtorId,
    ]);
    const personRows = await this.sql.all<PersonRow>('SELECT * FROM persons WHERE debtor_id = ? ORDER BY position', [debtorId]);
    const pointRows = await this.sql.all<ContactPointRow>(
      `SELECT contact_points.* FROM contact_points JOIN persons ON persons.id = contact_points.person_id
       WHERE persons.debtor_id = ? ORDER BY persons.position, contact_points.position`,
      [debtorId],
    );

    const obligationTerms = await new ObligationTermsTable(this.sql).forDebtor(debtorId);
    const obligations = obligationRows.map((row) => ({
      id: row.id,
      creditor: row.creditor,
      number: row.number,
      product: row.product,
      balanceCents: row.balance_cents,
      overdueCents: row.overdue_cents,
      daysPastDue: row.days_past_due,
      dueDate: row.due_date,
      writtenOff: row.written_off === 1,
      creditReportNotices: obligationTerms.get(row.id)?.creditReportNotices ?? [],
      collectionFeeTerms: obligationTerms.get(row.id)?.collectionFeeTerms ?? null,
    }));
    const scheduleRequests = this.scheduleRequests;
    const persons: Person[] = [];
    for (const row of personRows) {
      const timeZones = personZones(row.time_zone, row.residence_country);
      const scheduleRequest = row.doc_type === null || row.doc_number === null || row.role === 'reference' ? null : await scheduleRequests.current(row.doc_type, row.doc_number);
      persons.push({
        id: row.id,
        role: row.role,
        docType: row.doc_type,
        docNumber: row.doc_number,
        fullName: row.full_name,
        relation: row.relation,
        ...(row.residence_country === null ? {} : { residenceCountry: row.residence_country }),
        ...(timeZones.length === 0 ? {} : { timeZones }),
        ...(scheduleRequest === null ? {} : { scheduleRequest }),
      });
    }
    const contactPoints = pointRows.map((row) => ({
      id: row.id,
      personId: row.person_id,
      channel: row.channel,
      address: row.address,
      authorization:
        row.auth_source !== null && row.auth_granted_on !== null && row.auth_evidence !== null
          ? {
              source: row.auth_source,
              grantedOn: row.auth_granted_on,
              evidence: row.auth_evidence,
              revokedAt: row.auth_revoked_at === null ? null : toBogotaIso(row.auth_revoked_at),
            }
          : null,
      flagged: row.flagged,
      ...phoneZones(row.channel, row.address),
    }));

    return {
      id: debtor.id,
      docType: debtor.doc_type,
      docNumber: debtor.doc_number,
      fullName: debtor.full_name,
      city: debtor.city,
      segment: debtor.segment_id ?? debtor.segment,
      ...(debtor.segment_name === null ? {} : { segmentName: debtor.segment_name }),
      ...(debtor.strategy_version === null ? {} : { strategyVersion: debtor.strategy_version, treatmentId: debtor.treatment_id }),
      ...(debtor.segment_assigned_at === null ? {} : { assignedAt: toBogotaIso(debtor.segment_assigned_at) }),
      priority: debtor.priority,
      scriptId: debtor.script_id,
      leaseUntil: toBogotaIso(leaseUntil),
      obligations,
      persons,
      contactPoints,
    };
  }

  /** Ids of the debtors whose file names this person as debtor or co-obligor. */
  async debtorsOfPerson(docType: DocType, docNumber: string): Promise<string[]> {
    const rows = await this.sql.all<{ debtor_id: string }>(
      `SELECT DISTINCT debtor_id FROM persons WHERE doc_type = ? AND doc_number = ? AND role IN ('debtor', 'co-obligor') ORDER BY debtor_id`,
      [docType, docNumber],
    );
    return rows.map((row) => row.debtor_id);
  }

  async totals(): Promise<{ debtors: number; obligations: number }> {
    const row = await this.sql.get<{ debtors: number; obligations: number }>(
      'SELECT (SELECT COUNT(*) FROM debtors) AS debtors, (SELECT COUNT(*) FROM obligations) AS obligations',
    );
    return row!;
  }

  async countBySegment(): Promise<{ segment: Segment; count: number }[]> {
    return this.sql.all('SELECT COALESCE(segment_id, segment) AS segment, COUNT(*) AS count FROM debtors GROUP BY COALESCE(segment_id, segment)');
  }

  /** Debtors without an open lease, highest priority first. */
  async listUnleased(): Promise<{ id: string; priority: number }[]> {
    return this.sql.all(
      `SELECT id, priority FROM debtors
       WHERE NOT EXISTS (SELECT 1 FROM leases WHERE leases.debtor_id = debtors.id AND leases.released_at IS NULL)
       ORDER BY priority DESC, id`,
    );
  }
}

/**
 * Returns the country and zones of a foreign phone number. They belong to the number, not to the
 * person, because a debtor who lives in Colombia may keep a Spanish mobile that rings in Madrid, and
 * only calls and messages to that number need Madrid's hours.
 */
export function phoneZones(channel: Channel, address: string): Pick<ContactPoint, 'country' | 'timeZones'> {
  if (channel === 'email') return {};
  const country = foreignPhoneCountry(address);
  return country === null ? {} : { country, timeZones: zonesOfCountry(country) };
}

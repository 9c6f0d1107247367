/** Debtors with their obligations, persons and contact points, and the snapshot the feed carries. */
import { toBogotaIso } from '@gestiona/core/format';
import type { Channel, DebtorSnapshot, DocType, PartyRole, Product, Segment } from '@gestiona/core/domain';
import { segmentDebtor, type DebtorSegmentation } from '@gestiona/core/segmentation';
import type { Statement } from 'better-sqlite3';
import type { PortfolioContactPoint, PortfolioDebtor, PortfolioObligation, PortfolioPerson } from '../import/types.ts';
import type { SqliteDatabase } from './database.ts';

interface DebtorRow {
  id: string;
  doc_type: DocType;
  doc_number: string;
  full_name: string;
  city: string | null;
  segment: Segment;
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
  private readonly debtorExists: Statement<[string], { id: string }>;
  private readonly upsertDebtor: Statement<[string, string, string, string, string | null, string, string]>;
  private readonly updateSegmentation: Statement<[string, number, string, number, number, string, string]>;
  private readonly obligationOwner: Statement<[string, string], { id: string; debtor_id: string }>;
  private readonly upsertObligation: Statement<
    [string, string, string, string, string, number, number, number, string | null, number, string]
  >;
  private readonly segmentationInputs: Statement<[string], { days_past_due: number; written_off: number; balance_cents: number }>;
  private readonly personIds: Statement<[string], { id: string }>;
  private readonly upsertPerson: Statement<[string, string, string, string | null, string | null, string, string | null, number]>;
  private readonly deletePerson: Statement<[string]>;
  private readonly pointIds: Statement<[string], { id: string }>;
  private readonly upsertPoint: Statement<
    [string, string, string, string, string | null, string | null, string | null, number]
  >;
  private readonly deletePoint: Statement<[string]>;
  private readonly debtor: Statement<[string], DebtorRow>;
  private readonly obligations: Statement<[string], ObligationRow>;
  private readonly persons: Statement<[string], PersonRow>;
  private readonly points: Statement<[string], ContactPointRow>;
  private readonly personOfDebtor: Statement<[string, string], { id: string }>;
  private readonly counts: Statement<[], { debtors: number; obligations: number }>;
  private readonly segments: Statement<[], { segment: Segment; count: number }>;
  private readonly unleased: Statement<[], { id: string; priority: number }>;

  constructor(db: SqliteDatabase) {
    this.debtorExists = db.prepare('SELECT id FROM debtors WHERE id = ?');
    // The segment columns get placeholders here: `save` recomputes them from all the debtor's obligations in the same transaction.
    this.upsertDebtor = db.prepare(
      `INSERT INTO debtors (id, doc_type, doc_number, full_name, city, segment, priority, script_id,
                            total_balance_cents, max_days_past_due, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'preventiva', 0, 'guion-preventiva', 0, 0, ?, ?)
       ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, city = excluded.city, updated_at = excluded.updated_at`,
    );
    this.updateSegmentation = db.prepare(
      `UPDATE debtors SET segment = ?, priority = ?, script_id = ?, total_balance_cents = ?, max_days_past_due = ?, updated_at = ?
       WHERE id = ?`,
    );

    this.obligationOwner = db.prepare('SELECT id, debtor_id FROM obligations WHERE creditor = ? AND number = ?');
    this.upsertObligation = db.prepare(
      `INSERT INTO obligations (id, debtor_id, creditor, number, product, balance_cents, overdue_cents, days_past_due,
                                due_date, written_off, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET product = excluded.product, balance_cents = excluded.balance_cents,
         overdue_cents = excluded.overdue_cents, days_past_due = excluded.days_past_due, due_date = excluded.due_date,
         written_off = excluded.written_off, updated_at = excluded.updated_at`,
    );
    this.segmentationInputs = db.prepare('SELECT days_past_due, written_off, balance_cents FROM obligations WHERE debtor_id = ?');

    this.personIds = db.prepare('SELECT id FROM persons WHERE debtor_id = ?');
    this.upsertPerson = db.prepare(
      `INSERT INTO persons (id, debtor_id, role, doc_type, doc_number, full_name, relation, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET role = excluded.role, doc_type = excluded.doc_type, doc_number = excluded.doc_number,
         full_name = excluded.full_name, relation = excluded.relation, position = excluded.position`,
    );
    this.deletePerson = db.prepare('DELETE FROM persons WHERE id = ?');

    this.pointIds = db.prepare('SELECT id FROM contact_points WHERE person_id = ?');
    // A flag or a revocation belongs to an address: it survives a re-import of the same address
    // and is cleared when the creditor sends a different one.
    this.upsertPoint = db.prepare(
      `INSERT INTO contact_points (id, person_id, channel, address, auth_source, auth_granted_on, auth_evidence, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         flagged = CASE WHEN address = excluded.address THEN flagged ELSE NULL END,
         auth_revoked_at = CASE WHEN address = excluded.address AND channel = excluded.channel THEN auth_revoked_at ELSE NULL END,
         channel = excluded.channel, address = excluded.address, auth_source = excluded.auth_source,
         auth_granted_on = excluded.auth_granted_on, auth_evidence = excluded.auth_evidence, position = excluded.position`,
    );
    this.deletePoint = db.prepare('DELETE FROM contact_points WHERE id = ?');

    this.debtor = db.prepare('SELECT id, doc_type, doc_number, full_name, city, segment, priority, script_id FROM debtors WHERE id = ?');
    this.obligations = db.prepare('SELECT * FROM obligations WHERE debtor_id = ? ORDER BY days_past_due DESC, creditor, number');
    this.persons = db.prepare('SELECT * FROM persons WHERE debtor_id = ? ORDER BY position');
    this.points = db.prepare(
      `SELECT contact_points.* FROM contact_points JOIN persons ON persons.id = contact_points.person_id
       WHERE persons.debtor_id = ? ORDER BY persons.position, contact_points.position`,
    );
    this.personOfDebtor = db.prepare('SELECT id FROM persons WHERE id = ? AND debtor_id = ?');

    this.counts = db.prepare('SELECT (SELECT COUNT(*) FROM debtors) AS debtors, (SELECT COUNT(*) FROM obligations) AS obligations');
    this.segments = db.prepare('SELECT segment, COUNT(*) AS count FROM debtors GROUP BY segment');
    this.unleased = db.prepare(
      `SELECT id, priority FROM debtors
       WHERE NOT EXISTS (SELECT 1 FROM leases WHERE leases.debtor_id = debtors.id AND leases.released_at IS NULL)
       ORDER BY priority DESC, id`,
    );
  }

  exists(debtorId: string): boolean {
    return this.debtorExists.get(debtorId) !== undefined;
  }

  hasPerson(debtorId: string, personId: string): boolean {
    return this.personOfDebtor.get(personId, debtorId) !== undefined;
  }

  /** Debtor id that already owns this creditor's obligation number, if any. */
  obligationOwnerOf(creditor: string, number: string): string | null {
    return this.obligationOwner.get(creditor, number)?.debtor_id ?? null;
  }

  /**
   * Writes one debtor of a file with its obligations, persons and contact points. Obligations are
   * added or updated, and those the file leaves out are kept. Persons and contact points are
   * replaced by the file's, but flags and revocations of unchanged addresses are kept.
   * Returns whether the debtor was new, how many obligations were new, and the new segmentation.
   */
  save(debtor: PortfolioDebtor, now: Date): { created: boolean; obligationsCreated: number; segmentation: DebtorSegmentation } {
    const at = now.toISOString();
    const created = !this.exists(debtor.id);
    this.upsertDebtor.run(debtor.id, debtor.docType, debtor.docNumber, debtor.fullName, debtor.city, at, at);

    let obligationsCreated = 0;
    for (const obligation of debtor.obligations) {
      if (this.obligationOwnerOf(obligation.creditor, obligation.number) === null) obligationsCreated += 1;
      this.saveObligation(debtor.id, obligation, at);
    }

    this.savePersons(debtor.id, debtor.persons);

    const segmentation = segmentDebtor(
      this.segmentationInputs.all(debtor.id).map((row) => ({
        daysPastDue: row.days_past_due,
        writtenOff: row.written_off === 1,
        balanceCents: row.balance_cents,
      })),
    );
    this.updateSegmentation.run(
      segmentation.segment,
      segmentation.priority,
      segmentation.scriptId,
      segmentation.totalBalanceCents,
      segmentation.maxDaysPastDue,
      at,
      debtor.id,
    );
    return { created, obligationsCreated, segmentation };
  }

  private saveObligation(debtorId: string, obligation: PortfolioObligation, at: string): void {
    this.upsertObligation.run(
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
    );
  }

  private savePersons(debtorId: string, persons: readonly PortfolioPerson[]): void {
    const keep = new Set(persons.map((person) => person.id));
    for (const { id } of this.personIds.all(debtorId)) if (!keep.has(id)) this.deletePerson.run(id);

    persons.forEach((person, position) => {
      this.upsertPerson.run(person.id, debtorId, person.role, person.docType, person.docNumber, person.fullName, person.relation, position);
      this.saveContactPoints(person.id, person.contactPoints);
    });
  }

  private saveContactPoints(personId: string, points: readonly PortfolioContactPoint[]): void {
    const keep = new Set(points.map((point) => point.id));
    for (const { id } of this.pointIds.all(personId)) if (!keep.has(id)) this.deletePoint.run(id);

    points.forEach((point, position) => {
      const authorization = point.authorization;
      this.upsertPoint.run(
        point.id,
        personId,
        point.channel,
        point.address,
        authorization?.source ?? null,
        authorization?.grantedOn ?? null,
        authorization?.evidence ?? null,
        position,
      );
    });
  }

  snapshot(debtorId: string, leaseUntil: Date): DebtorSnapshot | null {
    const debtor = this.debtor.get(debtorId);
    if (!debtor) return null;

    const obligations = this.obligations.all(debtorId).map((row) => ({
      id: row.id,
      creditor: row.creditor,
      number: row.number,
      product: row.product,
      balanceCents: row.balance_cents,
      overdueCents: row.overdue_cents,
      daysPastDue: row.days_past_due,
      dueDate: row.due_date,
      writtenOff: row.written_off === 1,
    }));
    const persons = this.persons.all(debtorId).map((row) => ({
      id: row.id,
      role: row.role,
      docType: row.doc_type,
      docNumber: row.doc_number,
      fullName: row.full_name,
      relation: row.relation,
    }));
    const contactPoints = this.points.all(debtorId).map((row) => ({
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
    }));

    return {
      id: debtor.id,
      docType: debtor.doc_type,
      docNumber: debtor.doc_number,
      fullName: debtor.full_name,
      city: debtor.city,
      segment: debtor.segment,
      priority: debtor.priority,
      scriptId: debtor.script_id,
      leaseUntil: toBogotaIso(leaseUntil),
      obligations,
      persons,
      contactPoints,
    };
  }

  totals(): { debtors: number; obligations: number } {
    return this.counts.get()!;
  }

  countBySegment(): { segment: Segment; count: number }[] {
    return this.segments.all();
  }

  /** Debtors without an open lease, highest priority first. */
  listUnleased(): { id: string; priority: number }[] {
    return this.unleased.all();
  }
}

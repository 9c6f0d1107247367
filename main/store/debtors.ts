/**
 * Leased debtors as the change feed delivers them, with the local effects of typifications (flags,
 * revoked channels) merged in on every read.
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { bogotaDate } from '@gestiona/core/format';
import type {
  Authorization,
  Channel,
  ContactPoint,
  DebtorSnapshot,
  DocType,
  Obligation,
  PartyRole,
  Person,
  Product,
  Segment,
} from '@gestiona/core/domain';
import { personScheduleRequestSchema } from '@gestiona/core/domain';
import { epochMs } from './rows.ts';
import { documentForSearch, escapeLike, normalizeForSearch } from './search-text.ts';

interface DebtorRow {
  id: string;
  doc_type: string;
  doc_number: string;
  full_name: string;
  city: string | null;
  segment: string;
  priority: number;
  script_id: string;
  lease_until: string;
}

interface ObligationRow {
  id: string;
  creditor: string;
  number: string;
  product: string;
  balance_cents: number;
  overdue_cents: number;
  days_past_due: number;
  due_date: string | null;
  written_off: number;
  credit_report_notices: string;
  fee_schedule_percent: number | null;
  fee_disclosed: number | null;
  fee_in_litigation: number | null;
}

interface PersonRow {
  id: string;
  role: string;
  doc_type: string | null;
  doc_number: string | null;
  full_name: string;
  relation: string | null;
  residence_country: string | null;
  time_zones: string | null;
  schedule_request: string | null;
}

interface ContactPointRow {
  id: string;
  person_id: string;
  channel: string;
  address: string;
  auth_source: string | null;
  auth_granted_on: string | null;
  auth_evidence: string | null;
  auth_revoked_at: string | null;
  flagged: string | null;
  country: string | null;
  time_zones: string | null;
  local_flag: string | null;
  local_revoked_at: string | null;
}

/** A debtor's holder with the holder's contact points, as a legal status reads them. */
export interface HolderPoints {
  holder: Person;
  points: ContactPoint[];
}

/** One worklist row before its legal status is computed. */
export interface WorklistRow {
  debtorId: string;
  fullName: string;
  docType: DocType;
  docNumber: string;
  segment: Segment;
  priority: number;
  totalBalanceCents: number;
  maxDaysPastDue: number;
  obligationCount: number;
}

interface WorklistQueryRow {
  id: string;
  full_name: string;
  doc_type: string;
  doc_number: string;
  segment: string;
  priority: number;
  total_balance_cents: number;
  max_days_past_due: number;
  obligation_count: number;
}

const WORKLIST_FILTER = `
  lease_until_ms > @nowMs
  AND (
    @search IS NULL
    OR search_name LIKE @search ESCAPE '\\'
    OR (@document IS NOT NULL AND replace(upper(doc_number), '-', '') LIKE @document ESCAPE '\\')
  )
`;

export class DebtorStore {
  private readonly db: Database;
  private readonly deleteDebtor: Statement<[string]>;
  private readonly insertDebtor: Statement;
  private readonly insertObligation: Statement;
  private readonly insertPerson: Statement;
  private readonly insertContactPoint: Statement;
  private readonly selectDebtor: Statement<[string], DebtorRow>;
  private readonly selectObligations: Statement<[string], ObligationRow>;
  private readonly selectPersons: Statement<[string], PersonRow>;
  private readonly selectContactPoints: Statement<[string], ContactPointRow>;
  private readonly selectHoldersIn: Statement<[string], PersonRow & { debtor_id: string }>;
  private readonly selectHolderPointsIn: Statement<{ ids: string; channel: Channel | null }, ContactPointRow & { debtor_id: string }>;
  private readonly selectPage: Statement<{ nowMs: number; search: string | null; document: string | null; limit: number; offset: number }, WorklistQueryRow>;
  private readonly countPage: Statement<{ nowMs: number; search: string | null; document: string | null }, { total: number }>;
  private readonly selectExpired: Statement<[number], { id: string }>;
  private readonly updateLeaseUntil: Statement<{ id: string; leaseUntil: string; leaseUntilMs: number }>;
  private readonly forgetStatements: Statement<[string]>[];

  constructor(db: Database) {
    this.db = db;
    this.deleteDebtor = db.prepare('DELETE FROM debtors WHERE id = ?');
    this.insertDebtor = db.prepare(`
      INSERT INTO debtors (id, doc_type, doc_number, full_name, search_name, city, segment, priority, script_id, lease_until, lease_until_ms)
      VALUES (@id, @docType, @docNumber, @fullName, @searchName, @city, @segment, @priority, @scriptId, @leaseUntil, @leaseUntilMs)`);
    this.insertObligation = db.prepare(`
      INSERT INTO obligations (debtor_id, id, position, creditor, number, product, balance_cents, overdue_cents, days_past_due, due_date, written_off,
        credit_report_notices, fee_schedule_percent, fee_disclosed, fee_in_litigation)
      VALUES (@debtorId, @id, @position, @creditor, @number, @product, @balanceCents, @overdueCents, @daysPastDue, @dueDate, @writtenOff,
        @creditReportNotices, @feeSchedulePercent, @feeDisclosed, @feeInLitigation)`);
    this.insertPerson = db.prepare(`
      INSERT INTO persons (debtor_id, id, position, role, doc_type, doc_number, full_name, relation, residence_country, time_zones, schedule_request)
      VALUES (@debtorId, @id, @position, @role, @docType, @docNumber, @fullName, @relation, @residenceCountry, @timeZones, @scheduleRequest)`);
    this.insertContactPoint = db.prepare(`
      INSERT INTO contact_points (debtor_id, id, person_id, position, channel, address, auth_source, auth_granted_on, auth_evidence, auth_revoked_at, flagged,
        country, time_zones)
      VALUES (@debtorId, @id, @personId, @position, @channel, @address, @authSource, @authGrantedOn, @authEvidence, @authRevokedAt, @flagged,
        @country, @timeZones)`);

    this.selectDebtor = db.prepare('SELECT * FROM debtors WHERE id = ?');
    this.selectObligations = db.prepare('SELECT * FROM obligations WHERE debtor_id = ? ORDER BY position');
    this.selectPersons = db.prepare('SELECT * FROM persons WHERE debtor_id = ? ORDER BY position');
    this.selectContactPoints = db.prepare(`
      SELECT cp.*, f.reason AS local_flag, r.revoked_at AS local_revoked_at
      FROM contact_points cp
      LEFT JOIN contact_point_flags f ON f.debtor_id = cp.debtor_id AND f.contact_point_id = cp.id
      LEFT JOIN channel_revocations r ON r.person_id = cp.person_id AND r.channel = cp.channel
      WHERE cp.debtor_id = ?
      ORDER BY cp.position`);
    // Only what a legal status reads: the holders and their contact points. A refresh of the status
    // cache reads every leased debtor, and each row read costs time in the JavaScript objects made.
    this.selectHoldersIn = db.prepare(`SELECT * FROM persons WHERE debtor_id IN (SELECT value FROM json_each(?)) AND role = 'debtor' ORDER BY debtor_id, position`);
    this.selectHolderPointsIn = db.prepare(`
      SELECT cp.*, f.reason AS local_flag, r.revoked_at AS local_revoked_at
      FROM contact_points cp
      JOIN persons p ON p.debtor_id = cp.debtor_id AND p.id = cp.person_id AND p.role = 'debtor'
      LEFT JOIN contact_point_flags f ON f.debtor_id = cp.debtor_id AND f.contact_point_id = cp.id
      LEFT JOIN channel_revocations r ON r.person_id = cp.person_id AND r.channel = cp.channel
      WHERE cp.debtor_id IN (SELECT value FROM json_each(@ids)) AND (@channel IS NULL OR cp.channel = @channel)
      ORDER BY cp.debtor_id, cp.position`);

    this.selectPage = db.prepare(`
      SELECT d.id, d.full_name, d.doc_type, d.doc_number, d.segment, d.priority,
        (SELECT COALESCE(SUM(balance_cents), 0) FROM obligations o WHERE o.debtor_id = d.id) AS total_balance_cents,
        (SELECT COALESCE(MAX(days_past_due), 0) FROM obligations o WHERE o.debtor_id = d.id) AS max_days_past_due,
        (SELECT COUNT(*) FROM obligations o WHERE o.debtor_id = d.id) AS obligation_count
      FROM debtors d
      WHERE ${WORKLIST_FILTER}
      ORDER BY d.priority DESC, d.full_name, d.id
      LIMIT @limit OFFSET @offset`);
    this.countPage = db.prepare(`SELECT COUNT(*) AS total FROM debtors WHERE ${WORKLIST_FILTER}`);
    this.selectExpired = db.prepare('SELECT id FROM debtors WHERE lease_until_ms <= ?');
    // Only ever earlier: a lease the feed ended must not come back through a late clock reading.
    this.updateLeaseUntil = db.prepare(
      'UPDATE debtors SET lease_until = @leaseUntil, lease_until_ms = @leaseUntilMs WHERE id = @id AND lease_until_ms > @leaseUntilMs',
    );
    // What a removed debtor leaves behind is ids, instants and codes: the ledger (the limits still
    // count), the decisions and their chain (evidence the server verifies), and interaction and
    // attempt rows that flags and revocations point to. Names, numbers, notes and promised amounts
    // go; an event not yet sent keeps its own copy in the outbox until the server acknowledges it.
    this.forgetStatements = [
      db.prepare("UPDATE attempts SET debtor_name = '', person_name = '', address = '', dial_uri = NULL WHERE debtor_id = ? AND status = 'closed'"),
      db.prepare("UPDATE interactions SET fields = '{}', note = NULL WHERE debtor_id = ?"),
      db.prepare('DELETE FROM local_records WHERE debtor_id = ?'),
    ];
  }

  /** Replaces the debtor and all its children; the caller runs this inside the feed batch's transaction. */
  replace(snapshot: DebtorSnapshot): void {
    const debtorId = snapshot.id;
    this.deleteDebtor.run(debtorId);
    this.insertDebtor.run({
      id: debtorId,
      docType: snapshot.docType,
      docNumber: snapshot.docNumber,
      fullName: snapshot.fullName,
      searchName: normalizeForSearch(snapshot.fullName),
      city: snapshot.city,
      segment: snapshot.segment,
      priority: snapshot.priority,
      scriptId: snapshot.scriptId,
      leaseUntil: snapshot.leaseUntil,
      leaseUntilMs: epochMs(snapshot.leaseUntil),
    });

    snapshot.obligations.forEach((obligation, position) => {
      this.insertObligation.run({
        debtorId,
        position,
        id: obligation.id,
        creditor: obligation.creditor,
        number: obligation.number,
        product: obligation.product,
        balanceCents: obligation.balanceCents,
        overdueCents: obligation.overdueCents,
        daysPastDue: obligation.daysPastDue,
        dueDate: obligation.dueDate,
        writtenOff: obligation.writtenOff ? 1 : 0,
        ...obligationTermsColumns(obligation),
      });
    });

    snapshot.persons.forEach((person, position) => {
      this.insertPerson.run({
        debtorId,
        position,
        id: person.id,
        role: person.role,
        docType: person.docType,
        docNumber: person.docNumber,
        fullName: person.fullName,
        relation: person.relation,
        residenceCountry: person.residenceCountry ?? null,
        timeZones: jsonOrNull(person.timeZones),
        scheduleRequest: jsonOrNull(person.scheduleRequest),
      });
    });

    snapshot.contactPoints.forEach((point, position) => {
      this.insertContactPoint.run({
        debtorId,
        position,
        id: point.id,
        personId: point.personId,
        channel: point.channel,
        address: point.address,
        authSource: point.authorization?.source ?? null,
        authGrantedOn: point.authorization?.grantedOn ?? null,
        authEvidence: point.authorization?.evidence ?? null,
        authRevokedAt: point.authorization?.revokedAt ?? null,
        flagged: point.flagged,
        country: point.country ?? null,
        timeZones: jsonOrNull(point.timeZones),
      });
    });
  }

  /** Deletes the debtor at the end of its lease, with the personal data of its closed attempts and interactions. */
  remove(debtorId: string): void {
    this.deleteDebtor.run(debtorId);
    this.forgetPersonalData(debtorId);
  }

  /** Ends the debtor's lease at `at` but keeps its data, for the wrap-up still open with it; the purge removes it later. */
  endLease(debtorId: string, at: string): void {
    this.updateLeaseUntil.run({ id: debtorId, leaseUntil: at, leaseUntilMs: epochMs(at) });
  }

  /** Returns the debtor with local flags and revocations applied, or null when not stored. */
  get(debtorId: string): DebtorSnapshot | null {
    const row = this.selectDebtor.get(debtorId);
    if (!row) return null;

    return {
      id: row.id,
      docType: row.doc_type as DocType,
      docNumber: row.doc_number,
      fullName: row.full_name,
      city: row.city,
      segment: row.segment as Segment,
      priority: row.priority,
      scriptId: row.script_id,
      leaseUntil: row.lease_until,
      obligations: this.selectObligations.all(debtorId).map(toObligation),
      persons: this.selectPersons.all(debtorId).map(toPerson),
      contactPoints: this.selectContactPoints.all(debtorId).map(toContactPoint),
    };
  }

  /**
   * Returns each debtor's holder (its first person of role `debtor`) with the holder's contact
   * points, of `channel` only when given. Local flags and revocations are applied as `get` applies
   * them. A debtor without a holder is left out.
   */
  holderPoints(debtorIds: readonly string[], channel: Channel | null = null): Map<string, HolderPoints> {
    const result = new Map<string, HolderPoints>();
    if (debtorIds.length === 0) return result;
    const ids = JSON.stringify(debtorIds);

    for (const row of this.selectHoldersIn.all(ids)) {
      if (!result.has(row.debtor_id)) result.set(row.debtor_id, { holder: toPerson(row), points: [] });
    }
    for (const row of this.selectHolderPointsIn.all({ ids, channel })) {
      const entry = result.get(row.debtor_id);
      if (entry !== undefined && row.person_id === entry.holder.id) entry.points.push(toContactPoint(row));
    }
    return result;
  }

  /** Leased, unexpired debtors in priority order; `search` matches the name without accents or the document number. */
  page(query: { search: string | undefined; offset: number; limit: number; nowMs: number }): { rows: WorklistRow[]; total: number } {
    const normalized = query.search ? normalizeForSearch(query.search) : '';
    const search = normalized === '' ? null : `%${escapeLike(normalized)}%`;
    const documentDigits = query.search ? documentForSearch(query.search) : null;
    const document = documentDigits === null ? null : `%${escapeLike(documentDigits)}%`;

    const rows = this.selectPage.all({ nowMs: query.nowMs, search, document, limit: query.limit, offset: query.offset }).map(
      (row): WorklistRow => ({
        debtorId: row.id,
        fullName: row.full_name,
        docType: row.doc_type as DocType,
        docNumber: row.doc_number,
        segment: row.segment as Segment,
        priority: row.priority,
        totalBalanceCents: row.total_balance_cents,
        maxDaysPastDue: row.max_days_past_due,
        obligationCount: row.obligation_count,
      }),
    );
    const total = this.countPage.get({ nowMs: query.nowMs, search, document })?.total ?? 0;
    return { rows, total };
  }

  /**
   * Deletes debtors whose lease has ended, except `keepDebtorId` (the debtor of a pending wrap-up,
   * which the agent must still be able to see). Returns the ids removed.
   */
  purgeExpired(nowMs: number, keepDebtorId: string | null): string[] {
    const expired = this.selectExpired
      .all(nowMs)
      .map((row) => row.id)
      .filter((id) => id !== keepDebtorId);
    // One transaction: a whole portfolio can expire at once, and each statement alone would wait for the disk.
    this.db.transaction(() => {
      for (const id of expired) this.remove(id);
    })();
    return expired;
  }

  private forgetPersonalData(debtorId: string): void {
    for (const statement of this.forgetStatements) statement.run(debtorId);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS total FROM debtors').get() as { total: number }).total;
  }

  wipe(): void {
    this.db.exec('DELETE FROM debtors; DELETE FROM contact_point_flags; DELETE FROM channel_revocations;');
  }
}

function toObligation(row: ObligationRow): Obligation {
  return {
    id: row.id,
    creditor: row.creditor,
    number: row.number,
    product: row.product as Product,
    balanceCents: row.balance_cents,
    overdueCents: row.overdue_cents,
    daysPastDue: row.days_past_due,
    dueDate: row.due_date,
    writtenOff: row.written_off === 1,
    creditReportNotices: JSON.parse(row.credit_report_notices) as string[],
    collectionFeeTerms:
      row.fee_schedule_percent === null
        ? null
        : { schedulePercent: row.fee_schedule_percent, disclosedToDebtor: row.fee_disclosed === 1, inLitigation: row.fee_in_litigation === 1 },
  };
}

/** Converts the R14 notices and R15 fee terms of an obligation to columns. A snapshot without them stores no notice and no terms. */
function obligationTermsColumns(obligation: Obligation): {
  creditReportNotices: string;
  feeSchedulePercent: number | null;
  feeDisclosed: number | null;
  feeInLitigation: number | null;
} {
  const terms = obligation.collectionFeeTerms ?? null;
  return {
    creditReportNotices: JSON.stringify([...(obligation.creditReportNotices ?? [])].sort()),
    feeSchedulePercent: terms?.schedulePercent ?? null,
    feeDisclosed: terms === null ? null : Number(terms.disclosedToDebtor),
    feeInLitigation: terms === null ? null : Number(terms.inLitigation),
  };
}

function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    role: row.role as PartyRole,
    docType: row.doc_type as DocType | null,
    docNumber: row.doc_number,
    fullName: row.full_name,
    relation: row.relation,
    ...(row.residence_country === null ? {} : { residenceCountry: row.residence_country }),
    ...(row.time_zones === null ? {} : { timeZones: JSON.parse(row.time_zones) as string[] }),
    ...(row.schedule_request === null ? {} : { scheduleRequest: personScheduleRequestSchema.parse(JSON.parse(row.schedule_request)) }),
  };
}

/** JSON text of an optional snapshot field; an absent or empty list is stored as NULL, which reads back as absent. */
function jsonOrNull(value: object | null | undefined): string | null {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return null;
  return JSON.stringify(value);
}

function toContactPoint(row: ContactPointRow): ContactPoint {
  return {
    id: row.id,
    personId: row.person_id,
    channel: row.channel as Channel,
    address: row.address,
    authorization: effectiveAuthorization(row),
    flagged: row.flagged ?? row.local_flag,
    ...(row.country === null ? {} : { country: row.country }),
    ...(row.time_zones === null ? {} : { timeZones: JSON.parse(row.time_zones) as string[] }),
  };
}

/**
 * Merges the feed's authorisation with a local revocation. The revocation wins unless the feed
 * carries an authorisation granted after the day of the revocation (the person consented again).
 */
function effectiveAuthorization(row: ContactPointRow): Authorization | null {
  if (row.auth_source === null || row.auth_granted_on === null || row.auth_evidence === null) return null;

  const authorization: Authorization = {
    source: row.auth_source,
    grantedOn: row.auth_granted_on,
    evidence: row.auth_evidence,
    revokedAt: row.auth_revoked_at,
  };
  const localRevocation = row.local_revoked_at;
  if (localRevocation === null || authorization.grantedOn > bogotaDate(localRevocation)) return authorization;

  const revokedAt =
    authorization.revokedAt !== null && epochMs(authorization.revokedAt) <= epochMs(localRevocation) ? authorization.revokedAt : localRevocation;
  return { ...authorization, revokedAt };
}

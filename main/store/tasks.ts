/**
 * The worklist's derived tables: each debtor's call task of the day (`debtor_plans`) and its cached
 * legal status (`worklist_legal_status`), plus the filtered worklist page that reads them, with
 * follow-ups first and call tasks next. Migration 007's triggers delete a row when one of its
 * inputs changes; the services recompute missing and stale rows before reading a page.
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { DocType } from '@gestiona/core/domain';
import type { LegalStatusName } from '../services/tasks-legal.ts';
import type { ServerSendRow } from './ledger.ts';
import { documentForSearch, escapeLike, normalizeForSearch } from './search-text.ts';

/** The planner's input for one debtor whose plan is missing or stale. */
export interface PlanFactsRow {
  debtorId: string;
  segment: string;
  treatmentId: string | null;
  assignedAt: string | null;
  earliestDueDate: string | null;
  /** ISO instants of voice contacts with the debtor's persons, from the ledger. */
  callInstants: string[];
  /** Activity occurrences the server's channel dispatcher carried out, from the ledger's remote entries. */
  serverSends: ServerSendRow[];
  /**
   * Events that may stop activities, with the instant (or, for a payment, the Bogotá date) they
   * happened: wrap-up records (`local_records.kind`), collection holds in force (`hold-dispute`,
   * `hold-stopped`), the server's promises that are not broken (`promise`) and payments (`payment`).
   */
  records: Array<{ kind: string; createdAt: string }>;
}

export interface PlanRow {
  debtorId: string;
  activityId: string | null;
  activityName: string | null;
  plannedDate: string | null;
}

export interface CachedLegalStatus {
  debtorId: string;
  legalStatus: LegalStatusName;
  nextAllowedMs: number | null;
  validUntilMs: number;
}

export interface TaskPageQuery {
  search: string | undefined;
  segment: string | undefined;
  legalStatus: LegalStatusName | undefined;
  offset: number;
  limit: number;
  nowMs: number;
  /**
   * Debtors with a follow-up due and the instant it fell due. Those among the filtered debtors come
   * first, oldest due first, then the debtors with a call task, then the rest.
   */
  followUps?: ReadonlyArray<{ debtorId: string; dueMs: number }>;
}

/** One worklist row before its legal status is computed, with the debtor's call task when one is due. */
export interface TaskPageRow {
  debtorId: string;
  fullName: string;
  docType: DocType;
  docNumber: string;
  segment: string;
  segmentName: string | null;
  priority: number;
  totalBalanceCents: number;
  maxDaysPastDue: number;
  obligationCount: number;
  task: { activityId: string; name: string; plannedDate: string } | null;
}

interface PageQueryRow {
  id: string;
  full_name: string;
  doc_type: string;
  doc_number: string;
  segment: string;
  segment_name: string | null;
  priority: number;
  total_balance_cents: number;
  max_days_past_due: number;
  obligation_count: number;
  activity_id: string | null;
  activity_name: string | null;
  planned_date: string | null;
}

type PageParameters = {
  nowMs: number;
  search: string | null;
  document: string | null;
  segment: string | null;
  legalStatus: string | null;
};

/**
 * Builds the page's filter; `legal` adds the legal-status condition, which needs the cache joined as
 * `l`. Its unary `+` keeps SQLite from driving the query by status, which would sort thousands of
 * rows instead of walking the priority index to the page's end.
 */
function pageFilter(legal: boolean): string {
  return `
  d.lease_until_ms > @nowMs
  AND (@segment IS NULL OR d.segment = @segment)
  ${legal ? 'AND +l.legal_status = @legalStatus' : 'AND @legalStatus IS NULL'}
  AND (
    @search IS NULL
    OR d.search_name LIKE @search ESCAPE '\\'
    OR (@document IS NOT NULL AND replace(upper(d.doc_number), '-', '') LIKE @document ESCAPE '\\')
  )
`;
}

/** The page's parameters for the task and rest parts; `exclude` is a JSON array of the ids already listed as follow-ups. */
type PartParameters = PageParameters & { exclude: string };

interface PageStatements {
  selectFollowUpIds: Statement<PageParameters & { followUps: string }, { id: string }>;
  selectTaskIds: Statement<PartParameters & { limit: number; offset: number }, { id: string }>;
  countTasks: Statement<PartParameters, { total: number }>;
  selectRestIds: Statement<PartParameters & { limit: number; offset: number }, { id: string }>;
  countPage: Statement<PageParameters, { total: number }>;
}

/**
 * Prepares the page's queries, with or without the legal-status cache joined. Debtors with a
 * follow-up due come first, oldest due first, then those with a call task due ("Tareas de hoy"),
 * then the rest, the last two in priority order. The follow-ups are few and sorted in full. Each
 * later part walks its own index in order and stops at the page's end, because sorting every
 * leased debtor on every read would not fit the worklist's budget.
 */
function pageStatements(db: Database, legal: boolean): PageStatements {
  const filter = pageFilter(legal);
  const join = legal ? 'JOIN worklist_legal_status l ON l.debtor_id = d.id' : '';
  const notFollowUp = 'd.id NOT IN (SELECT value FROM json_each(@exclude))';
  // CROSS JOIN fixes the join order, so that SQLite walks the tasks' index instead of the leases'
  // index followed by a sort of every task.
  return {
    selectFollowUpIds: db.prepare(`
      SELECT d.id FROM json_each(@followUps) f
      CROSS JOIN debtors d ON d.id = json_extract(f.value, '$.id') ${join}
      WHERE ${filter}
      ORDER BY json_extract(f.value, '$.dueMs'), d.priority DESC, d.full_name, d.id`),
    selectTaskIds: db.prepare(`
      SELECT p.debtor_id AS id FROM debtor_plans p
      CROSS JOIN debtors d ON d.id = p.debtor_id ${legal ? 'CROSS ' : ''}${join}
      WHERE p.planned_date IS NOT NULL AND ${notFollowUp} AND ${filter}
      ORDER BY p.priority DESC, p.full_name, p.debtor_id
      LIMIT @limit OFFSET @offset`),
    countTasks: db.prepare(`
      SELECT COUNT(*) AS total FROM debtor_plans p
      JOIN debtors d ON d.id = p.debtor_id ${join}
      WHERE p.planned_date IS NOT NULL AND ${notFollowUp} AND ${filter}`),
    selectRestIds: db.prepare(`
      SELECT d.id FROM debtors d
      LEFT JOIN debtor_plans p ON p.debtor_id = d.id ${join}
      WHERE p.planned_date IS NULL AND ${notFollowUp} AND ${filter}
      ORDER BY d.priority DESC, d.full_name, d.id
      LIMIT @limit OFFSET @offset`),
    countPage: db.prepare(`SELECT COUNT(*) AS total FROM debtors d ${join} WHERE ${filter}`),
  };
}

export class TaskStore {
  private readonly db: Database;
  private readonly selectStalePlans: Statement<{ today: string; nowMs: number }, { id: string }>;
  private readonly countDebtors: Statement<[], { total: number }>;
  private readonly countCurrentPlans: Statement<[string], { total: number }>;
  private readonly countValidLegal: Statement<[number], { total: number }>;
  private readonly selectPlanFacts: Statement<[string], Omit<PlanFactsRowJson, 'id'>>;
  private readonly upsertPlan: Statement<PlanRow & { computedFor: string }>;
  private readonly selectStaleLegal: Statement<{ nowMs: number }, { id: string }>;
  private readonly upsertLegal: Statement<CachedLegalStatus>;
  private readonly withLegalFilter: PageStatements;
  private readonly withoutLegalFilter: PageStatements;
  private readonly selectRowsIn: Statement<[string], PageQueryRow>;
  private readonly countLegalOnly: Statement<{ nowMs: number; legalStatus: string }, { total: number }>;
  private readonly deletePlan: Statement<[string]>;
  private readonly deleteLegal: Statement<[string]>;
  private readonly selectPlan: Statement<[string], { activity_id: string | null; activity_name: string | null; planned_date: string | null }>;

  constructor(db: Database) {
    this.db = db;
    this.selectStalePlans = db.prepare(`
      SELECT d.id FROM debtors d LEFT JOIN debtor_plans p ON p.debtor_id = d.id
      WHERE d.lease_until_ms > @nowMs AND (p.debtor_id IS NULL OR p.computed_for <> @today)`);
    // Collection holds (a dispute, a deceased debtor) live in the catalog's table when its migration is installed.
    // There, a lifted hold no longer stops anything, so the wrap-up records that started holds are not read.
    const holdsInstalled = hasTable(db, 'collection_holds');
    const holds = holdsInstalled
      ? `(SELECT json_group_array(json_object('kind', 'hold-' || h.kind, 'createdAt', h.since)) FROM collection_holds h WHERE h.debtor_id = d.id)`
      : `'[]'`;
    const recordKinds = holdsInstalled ? `r.kind IN ('promise', 'agreement')` : `r.kind IN ('promise', 'agreement', 'collection-pause', 'strategy-stop')`;
    // The server's promises and payments, when the promises migration is installed. A broken
    // promise stops nothing, so neither does the wrap-up record that made it.
    const promisesInstalled = hasTable(db, 'promises') && hasTable(db, 'payments');
    const notBroken = promisesInstalled ? `AND r.interaction_id NOT IN (SELECT pr.id FROM promises pr WHERE pr.status = 'broken')` : '';
    const serverStops = promisesInstalled
      ? `(SELECT json_group_array(json_object('kind', 'promise', 'createdAt', json_extract(pr.snapshot, '$.madeAt'))) FROM promises pr WHERE pr.debtor_id = d.id AND pr.status <> 'broken')`
      : `'[]'`;
    const payments = promisesInstalled
      ? `(SELECT json_group_array(json_object('kind', 'payment', 'createdAt', pm.paid_on)) FROM payments pm WHERE pm.debtor_id = d.id)`
      : `'[]'`;
    this.countDebtors = db.prepare('SELECT COUNT(*) AS total FROM debtors');
    this.countCurrentPlans = db.prepare('SELECT COUNT(*) AS total FROM debtor_plans WHERE computed_for = ?');
    this.countValidLegal = db.prepare('SELECT COUNT(*) AS total FROM worklist_legal_status WHERE valid_until_ms > ?');
    this.selectPlanFacts = db.prepare(`
      SELECT d.segment, s.treatment_id, s.assigned_at,
        (SELECT MIN(o.due_date) FROM obligations o WHERE o.debtor_id = d.id AND o.due_date IS NOT NULL) AS earliest_due_date,
        (SELECT json_group_array(g.at) FROM ledger g WHERE g.debtor_id = d.id AND g.channel = 'voice') AS call_instants,
        (SELECT json_group_array(json_object('activityId', g.activity_id, 'occurrenceDate', g.activity_date, 'at', g.at))
          FROM ledger g WHERE g.debtor_id = d.id AND g.activity_id IS NOT NULL) AS server_sends,
        (SELECT json_group_array(json_object('kind', r.kind, 'createdAt', r.created_at)) FROM local_records r WHERE r.debtor_id = d.id AND ${recordKinds} ${notBroken}) AS records,
        ${holds} AS holds, ${serverStops} AS server_promises, ${payments} AS payments
      FROM debtors d LEFT JOIN debtor_strategy s ON s.debtor_id = d.id
      WHERE d.id = ?`);
    this.upsertPlan = db.prepare(`
      INSERT INTO debtor_plans (debtor_id, computed_for, activity_id, activity_name, planned_date, priority, full_name)
      SELECT @debtorId, @computedFor, @activityId, @activityName, @plannedDate, d.priority, d.full_name FROM debtors d WHERE d.id = @debtorId
      ON CONFLICT (debtor_id) DO UPDATE SET computed_for = excluded.computed_for, activity_id = excluded.activity_id,
        activity_name = excluded.activity_name, planned_date = excluded.planned_date, priority = excluded.priority, full_name = excluded.full_name`);
    this.deletePlan = db.prepare('DELETE FROM debtor_plans WHERE debtor_id = ?');
    this.deleteLegal = db.prepare('DELETE FROM worklist_legal_status WHERE debtor_id = ?');
    this.selectPlan = db.prepare('SELECT activity_id, activity_name, planned_date FROM debtor_plans WHERE debtor_id = ?');

    this.selectStaleLegal = db.prepare(`
      SELECT d.id FROM debtors d LEFT JOIN worklist_legal_status l ON l.debtor_id = d.id
      WHERE d.lease_until_ms > @nowMs AND (l.debtor_id IS NULL OR l.valid_until_ms <= @nowMs)`);
    this.upsertLegal = db.prepare(`
      INSERT INTO worklist_legal_status (debtor_id, legal_status, next_allowed_ms, valid_until_ms)
      VALUES (@debtorId, @legalStatus, @nextAllowedMs, @validUntilMs)
      ON CONFLICT (debtor_id) DO UPDATE SET legal_status = excluded.legal_status, next_allowed_ms = excluded.next_allowed_ms,
        valid_until_ms = excluded.valid_until_ms`);

    this.withLegalFilter = pageStatements(db, true);
    this.withoutLegalFilter = pageStatements(db, false);
    // The page's rows in the order of the JSON array of ids, in one query.
    this.selectRowsIn = db.prepare(`
      SELECT d.id, d.full_name, d.doc_type, d.doc_number, d.segment, s.segment_name, d.priority,
        (SELECT COALESCE(SUM(balance_cents), 0) FROM obligations o WHERE o.debtor_id = d.id) AS total_balance_cents,
        (SELECT COALESCE(MAX(days_past_due), 0) FROM obligations o WHERE o.debtor_id = d.id) AS max_days_past_due,
        (SELECT COUNT(*) FROM obligations o WHERE o.debtor_id = d.id) AS obligation_count,
        p.activity_id, p.activity_name, p.planned_date
      FROM json_each(?) j
      CROSS JOIN debtors d ON d.id = j.value
      LEFT JOIN debtor_plans p ON p.debtor_id = d.id
      LEFT JOIN debtor_strategy s ON s.debtor_id = d.id
      ORDER BY j.key`);
    // The total of a legal-status filter alone. Joining every leased debtor to the cache costs a
    // lookup per debtor. Counting the cache's rows and taking away those of debtors whose lease
    // ended (kept only for a pending wrap-up) reads the cache once. Every cache row has a stored
    // debtor, because the foreign key deletes it with the debtor.
    this.countLegalOnly = db.prepare(`
      SELECT (SELECT COUNT(*) FROM worklist_legal_status WHERE legal_status = @legalStatus)
        - (SELECT COUNT(*) FROM debtors d JOIN worklist_legal_status l ON l.debtor_id = d.id
           WHERE d.lease_until_ms <= @nowMs AND l.legal_status = @legalStatus) AS total`);
  }

  /**
   * Leased debtors whose plan is missing or was computed for another day than `today`. Two counts
   * over indexes settle the common case, where every plan is current, without a scan.
   */
  stalePlanDebtors(today: string, nowMs: number): string[] {
    const debtors = this.countDebtors.get()?.total ?? 0;
    const current = this.countCurrentPlans.get(today)?.total ?? 0;
    if (current === debtors) return [];
    return this.selectStalePlans.all({ today, nowMs }).map((row) => row.id);
  }

  planFacts(debtorId: string): PlanFactsRow | null {
    const row = this.selectPlanFacts.get(debtorId);
    if (!row) return null;
    return {
      debtorId,
      segment: row.segment,
      treatmentId: row.treatment_id,
      assignedAt: row.assigned_at,
      earliestDueDate: row.earliest_due_date,
      callInstants: JSON.parse(row.call_instants) as string[],
      serverSends: JSON.parse(row.server_sends) as ServerSendRow[],
      records: [row.records, row.holds, row.server_promises, row.payments].flatMap((json) => JSON.parse(json) as PlanFactsRow['records']),
    };
  }

  /** Stores the plans computed for `today` in one transaction. */
  savePlans(today: string, plans: readonly PlanRow[]): void {
    this.db.transaction(() => {
      for (const plan of plans) this.upsertPlan.run({ ...plan, computedFor: today });
    })();
  }

  /**
   * Drops a debtor's plan and cached legal status, so that the next worklist read computes them
   * again: a hold started or was lifted, or the server sent a promise or a payment.
   */
  forgetPlan(debtorId: string): void {
    this.deletePlan.run(debtorId);
    this.deleteLegal.run(debtorId);
  }

  plan(debtorId: string): PlanRow | null {
    const row = this.selectPlan.get(debtorId);
    return row ? { debtorId, activityId: row.activity_id, activityName: row.activity_name, plannedDate: row.planned_date } : null;
  }

  /** Leased debtors whose cached legal status is missing or expired at `nowMs`; two counts settle the case where none is. */
  staleLegalDebtors(nowMs: number): string[] {
    const debtors = this.countDebtors.get()?.total ?? 0;
    const valid = this.countValidLegal.get(nowMs)?.total ?? 0;
    if (valid === debtors) return [];
    return this.selectStaleLegal.all({ nowMs }).map((row) => row.id);
  }

  saveLegalStatuses(statuses: readonly CachedLegalStatus[]): void {
    this.db.transaction(() => {
      for (const status of statuses) this.upsertLegal.run(status);
    })();
  }

  /**
   * Leased, unexpired debtors: those in `query.followUps` first, oldest due first, then the ones
   * with a call task due, then the rest, the last two by priority. A legal-status filter reads the
   * cache, so the caller refreshes it first; `search` matches the name without accents or the
   * document number.
   */
  page(query: TaskPageQuery): { rows: TaskPageRow[]; total: number } {
    const normalized = query.search ? normalizeForSearch(query.search) : '';
    const documentDigits = query.search ? documentForSearch(query.search) : null;
    const parameters: PageParameters = {
      nowMs: query.nowMs,
      search: normalized === '' ? null : `%${escapeLike(normalized)}%`,
      document: documentDigits === null ? null : `%${escapeLike(documentDigits)}%`,
      segment: query.segment ?? null,
      legalStatus: query.legalStatus ?? null,
    };

    const statements = parameters.legalStatus === null ? this.withoutLegalFilter : this.withLegalFilter;
    const followUpIds = statements.selectFollowUpIds
      .all({ ...parameters, followUps: JSON.stringify((query.followUps ?? []).map((entry) => ({ id: entry.debtorId, dueMs: entry.dueMs }))) })
      .map((row) => row.id);
    const ids = followUpIds.slice(query.offset, query.offset + query.limit);
    // The task and rest parts leave out the follow-ups, so their offsets start after them.
    const part: PartParameters = { ...parameters, exclude: JSON.stringify(followUpIds) };
    const partOffset = Math.max(0, query.offset - followUpIds.length);
    let room = query.limit - ids.length;
    if (room > 0) {
      const taskIds = statements.selectTaskIds.all({ ...part, limit: room, offset: partOffset }).map((row) => row.id);
      ids.push(...taskIds);
      room -= taskIds.length;
      if (room > 0) {
        // The rest starts where the tasks end; counting them is needed only when this page has none.
        const taskTotal = taskIds.length > 0 || partOffset === 0 ? partOffset + taskIds.length : (statements.countTasks.get(part)?.total ?? 0);
        const rest = statements.selectRestIds.all({ ...part, limit: room, offset: Math.max(0, partOffset - taskTotal) });
        ids.push(...rest.map((row) => row.id));
      }
    }

    const rows = this.selectRowsIn.all(JSON.stringify(ids)).map(
      (row): TaskPageRow => ({
        debtorId: row.id,
        fullName: row.full_name,
        docType: row.doc_type as DocType,
        docNumber: row.doc_number,
        segment: row.segment,
        segmentName: row.segment_name,
        priority: row.priority,
        totalBalanceCents: row.total_balance_cents,
        maxDaysPastDue: row.max_days_past_due,
        obligationCount: row.obligation_count,
        task:
          row.activity_id === null || row.planned_date === null
            ? null
            : { activityId: row.activity_id, name: row.activity_name ?? row.activity_id, plannedDate: row.planned_date },
      }),
    );
    const legalOnly = parameters.legalStatus !== null && parameters.segment === null && parameters.search === null && parameters.document === null;
    const total = legalOnly
      ? (this.countLegalOnly.get({ nowMs: query.nowMs, legalStatus: parameters.legalStatus! })?.total ?? 0)
      : (statements.countPage.get(parameters)?.total ?? 0);
    return { rows, total };
  }
}
interface PlanFactsRowJson {
  id: string;
  segment: string;
  treatment_id: string | null;
  assigned_at: string | null;
  earliest_due_date: string | null;
  call_instants: string;
  server_sends: string;
  records: string;
  holds: string;
  server_promises: string;
  payments: string;
}

function hasTable(db: Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

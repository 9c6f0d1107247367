/**
 * Group ingest with the group's reads done up front.
 *
 * A group's events are ingested one after another inside one transaction. Event by event, the
 * checks and the re-evaluation read about eight statements per event (duplicate and lease checks,
 * catalog, rule pack, person, schedule request, contact point, the person's ledger, the decision's
 * contacts, the chain head). On PostgreSQL, where each statement is a round trip, one statement
 * here reads them for every contact event of the group. On SQLite, where a statement is a call in
 * the process, each kind of lookup runs once per group instead (`../sqlite-group-read.ts`). The
 * per-event code (`ingest-operation.ts`, unchanged) gets tables that return the results of that read.
 *
 * The answers must be the ones the database would give at that point of the transaction. They are,
 * as long as the only writes since the read are the ones this module keeps track of: the event,
 * decision, interaction and ledger rows and the chain links, and inserts into tables it does not
 * read (alarms, rejected events). Every statement of the group goes through `WriteWatch`. Any other
 * write (a feed entry, a hold, a promise) marks the read stale, and every later read of the group
 * goes to the database again.
 * Stale reads are therefore never served, and an unusual group is only slower, never different.
 *
 * On PostgreSQL, while the read is fresh, the rows of the stored events (event, decision or
 * interaction, ledger entry, chain link) are kept back and written in one statement: before any
 * other statement of the group, so that it sees them, and at the group's end, before the commit.
 * SQLite writes them at once.
 */
import { toUtcIso } from '@gestiona/core/format';
import type { LedgerEntry } from '@gestiona/core/domain';
import type { ContactEvent, DecisionRecorded, InteractionRecorded, SyncEvent } from '@gestiona/core/sync';
import type { KnownContactPoint } from '../../compliance/reevaluate.ts';
import {
  ComplianceFactsTable,
  knownPersonOf,
  mayHaveScheduleRequest,
  toKnownContactPoint,
  type ContactPointRow,
  type KnownPerson,
  type PersonFactsRow,
} from '../compliance-facts.ts';
import { PublishedContentTable } from '../content.ts';
import { DecisionLinksTable, toLink, type LinkRow } from '../decision-links.ts';
import {
  decisionRowValues,
  eventRowValues,
  EventsTable,
  INSERT_DECISION_SQL,
  INSERT_EVENT_SQL,
  INSERT_INTERACTION_SQL,
  INSERT_LEDGER_SQL,
  interactionRowValues,
  ledgerEntryOf,
  ledgerInstantOf,
  ledgerRowValues,
  toIngestFacts,
  toLedgerEntry,
  type IngestFacts,
  type IngestFactsRow,
  type LedgerRow,
} from '../events.ts';
import { LEASE_COVER_END_SQL } from '../leases.ts';
import { RulePacksTable } from '../rule-packs.ts';
import { readGroupOnSqlite } from '../sqlite-group-read.ts';
import type { SqlConnection, SqlValue } from '../sql.ts';
import { bindTables, type Tables } from '../tables.ts';
import type { IngestItem, RulePackRecord, StoredDecisionLink } from '../types.ts';

/** A group without contact events is ingested with the plain tables: there is nothing to read ahead. */
const MIN_CONTACT_EVENTS = 1;

/**
 * Statements that write. A false match (a column named like a keyword) only makes the group read
 * from the database again, so the test errs on the side of "write".
 */
const WRITE_SQL = /\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b/i;

/** Inserts into tables that the group's read does not read, so they leave it fresh: alarms and rejected events. */
const UNREAD_TABLE_INSERT = /^\s*INSERT INTO (alarms|rejected_events) \(/;

// A group runs the same few statements thousands of times, and scanning each long text with the
// two patterns was a visible share of an SQLite group's time.
const writesReadTablesBySql = new Map<string, boolean>();

function writesReadTables(sql: string): boolean {
  let writes = writesReadTablesBySql.get(sql);
  if (writes === undefined) {
    writes = WRITE_SQL.test(sql) && !UNREAD_TABLE_INSERT.test(sql);
    // Statements are fixed texts with placeholders, so the map stays small; the bound guards against one that is not.
    if (writesReadTablesBySql.size >= 1_000) writesReadTablesBySql.clear();
    writesReadTablesBySql.set(sql, writes);
  }
  return writes;
}

/** Passes every statement to the connection and notes whether one wrote, except the writes run inside `expect`. */
export class WriteWatch implements SqlConnection {
  readonly writableCte: boolean;
  private untrackedWrite = false;
  private expecting = false;
  /** Runs before every statement: writes the rows the group deferred, so the statement sees them. */
  beforeStatement: () => Promise<void> = async () => {};

  constructor(private readonly inner: SqlConnection) {
    this.writableCte = inner.writableCte === true;
  }

  /** True once a write ran that the group's read does not account for. */
  get stale(): boolean {
    return this.untrackedWrite;
  }

  /** Runs writes whose effect on the read the caller records itself. */
  async expect<T>(work: () => Promise<T>): Promise<T> {
    this.expecting = true;
    try {
      return await work();
    } finally {
      this.expecting = false;
    }
  }

  async all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    await this.before(sql);
    return this.inner.all<Row>(sql, params);
  }

  async get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined> {
    await this.before(sql);
    return this.inner.get<Row>(sql, params);
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    await this.before(sql);
    return this.inner.run(sql, params);
  }

  async lockFeed(): Promise<void> {
    // Taken before a feed entry is written.
    await this.before(null);
    return this.inner.lockFeed();
  }

  private async before(sql: string | null): Promise<void> {
    const untracked = sql === null || writesReadTables(sql);
    if (!this.expecting && untracked) this.untrackedWrite = true;
    await this.beforeStatement();
  }
}

/** One contact event of the group as the read's input; `ord` is its position among them. */
export interface ReadInput {
  ord: number;
  event_id: string;
  debtor_id: string;
  person_id: string;
  agent_id: string;
  workstation_id: string;
  occurred_at: string;
  decision_id: string | null;
  interaction_id: string | null;
  holder_debtor_id: string | null;
  contact_point_id: string;
  /** The contact's instant, up to which the re-evaluation reads the person's ledger. */
  until_at: string;
}

export interface PersonReadRow extends PersonFactsRow {
  id: string;
  debtor_id: string;
  has_requests: boolean;
}

export interface GroupReadRow {
  facts: Array<IngestFactsRow & { ord: number }> | null;
  persons: PersonReadRow[] | null;
  contact_points: Array<ContactPointRow & { id: string }> | null;
  ledger: LedgerRow[] | null;
  decision_contacts: Array<{ decision_id: string; id: string }> | null;
  heads: LinkRow[] | null;
  packs: Array<{ id: number; published_at: string }> | null;
  hashes: Record<string, string> | null;
}

// The facts part repeats `INGEST_FACTS_SQL` (events.ts) for a set of events: keep the two alike.
// Each lookup is a LATERAL subquery per input row, kept apart by OFFSET 0 so that the planner cannot
// merge it into a join, and so it stays an index scan. The planner does not know how many rows the
// JSON holds, and with joins it scanned whole tables; under
// SERIALIZABLE such a scan locks the whole table for conflict checks, and every concurrent insert
// into it then aborted one of the two transactions.
const GROUP_READ_SQL = `WITH input AS (
  SELECT * FROM json_to_recordset(?::json) AS t(ord integer, event_id text, debtor_id text, person_id text, agent_id text,
    workstation_id text, occurred_at text, decision_id text, interaction_id text, holder_debtor_id text, contact_point_id text, until_at text)
)
SELECT
  (SELECT json_agg(f) FROM (
    SELECT i.ord,
      CASE WHEN EXISTS (SELECT 1 FROM events WHERE id = i.event_id) THEN 1 ELSE 0 END AS stored,
      CASE WHEN EXISTS (SELECT 1 FROM debtors WHERE id = i.debtor_id) THEN 1 ELSE 0 END AS debtor_known,
      CASE WHEN EXISTS (SELECT 1 FROM persons WHERE id = i.person_id AND debtor_id = i.debtor_id) THEN 1 ELSE 0 END AS person_known,
      CASE WHEN EXISTS (
        SELECT 1 FROM leases
        WHERE debtor_id = i.debtor_id AND agent_id = i.agent_id AND granted_at <= i.occurred_at AND i.occurred_at < ${LEASE_COVER_END_SQL}
      ) THEN 1 ELSE 0 END AS lease_held,
      CASE WHEN EXISTS (SELECT 1 FROM decisions WHERE id = i.decision_id)
             OR EXISTS (SELECT 1 FROM interactions WHERE id = i.interaction_id)
             OR EXISTS (SELECT 1 FROM ledger WHERE id = i.interaction_id) THEN 1 ELSE 0 END AS projection_id_taken,
      (SELECT agent_id FROM leases WHERE debtor_id = i.holder_debtor_id AND released_at IS NULL) AS holder_agent_id,
      (SELECT expires_at FROM leases WHERE debtor_id = i.holder_debtor_id AND released_at IS NULL) AS holder_expires_at
    FROM input i) f) AS facts,
  (SELECT json_agg(p) FROM (
    SELECT person.*, EXISTS (
        SELECT 1 FROM schedule_requests s WHERE s.doc_type = person.doc_type AND s.doc_number = person.doc_number
      ) AS has_requests
    FROM (SELECT DISTINCT person_id, debtor_id FROM input) i
    CROSS JOIN LATERAL (
      SELECT id, debtor_id, role, full_name, doc_type, doc_number, time_zone, residence_country FROM persons
      WHERE id = i.person_id AND debtor_id = i.debtor_id OFFSET 0
    ) person) p) AS persons,
  (SELECT json_agg(c) FROM (
    SELECT point.* FROM (SELECT DISTINCT contact_point_id FROM input) i
    CROSS JOIN LATERAL (
      SELECT id, person_id, channel, address, auth_source, auth_revoked_at FROM contact_points WHERE id = i.contact_point_id OFFSET 0
    ) point) c) AS contact_points,
  (SELECT json_agg(l ORDER BY l.person_id, l.at, l.id) FROM (
    SELECT entry.* FROM (SELECT DISTINCT person_id FROM input) i
    CROSS JOIN LATERAL (
      SELECT id, debtor_id, person_id, channel, kind, at FROM ledger
      WHERE person_id = i.person_id AND at <= (SELECT MAX(until_at) FROM input) OFFSET 0
    ) entry) l) AS ledger,
  (SELECT json_agg(d) FROM (
    SELECT contact.* FROM (SELECT DISTINCT decision_id FROM input WHERE decision_id IS NOT NULL) i
    CROSS JOIN LATERAL (SELECT decision_id, id FROM interactions WHERE decision_id = i.decision_id OFFSET 0) contact) d) AS decision_contacts,
  (SELECT json_agg(h) FROM (
    SELECT link.* FROM (SELECT DISTINCT workstation_id FROM input WHERE decision_id IS NOT NULL) w
    CROSS JOIN LATERAL (
      SELECT * FROM decision_links WHERE workstation_id = w.workstation_id ORDER BY chain_index DESC, workstation_seq DESC LIMIT 1
    ) link) h) AS heads,
  (SELECT json_agg(r) FROM (SELECT id, published_at FROM rule_packs) r) AS packs,
  (SELECT json_object_agg(key, sha256) FROM published_content) AS hashes`;

interface DeferredRows {
  events: SqlValue[][];
  decisions: SqlValue[][];
  interactions: SqlValue[][];
  ledger: SqlValue[][];
  links: SqlValue[][];
}

const emptyRows = (): DeferredRows => ({ events: [], decisions: [], interactions: [], ledger: [], links: [] });

/** Returns the column list of an `INSERT INTO t (…) VALUES …` statement, in the order of its row values. */
function columnsOf(insertSql: string): string[] {
  const match = /INSERT INTO \w+ \(([^)]*)\)/.exec(insertSql);
  if (match === null) throw new Error(`Expected an INSERT INTO t (…) statement, got: ${insertSql}`);
  return match[1]!.split(',').map((column) => column.trim());
}

const LINK_COLUMNS = ['event_id', 'workstation_id', 'workstation_seq', 'decision_id', 'chain_index', 'prev_hash', 'hash', 'received_at'];

/** Columns of each deferred table, in the order of the row functions of events.ts. */
const DEFERRED_COLUMNS: Record<keyof DeferredRows, string[]> = {
  events: columnsOf(INSERT_EVENT_SQL),
  decisions: columnsOf(INSERT_DECISION_SQL),
  interactions: columnsOf(INSERT_INTERACTION_SQL),
  ledger: columnsOf(INSERT_LEDGER_SQL),
  links: LINK_COLUMNS,
};

/** Inserts the rows of one table from a JSON array of objects keyed by column, typed by the table's own row type. */
const insertFromJson = (table: string, columns: readonly string[], conflict: string): string =>
  `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, ?::json) ${conflict} RETURNING 1`;

// One statement for every row the group stored; foreign keys are checked at its end, after all five inserts.
const FLUSH_SQL = `WITH event_rows AS (${insertFromJson('events', DEFERRED_COLUMNS.events, 'ON CONFLICT (id) DO NOTHING')}),
  decision_rows AS (${insertFromJson('decisions', DEFERRED_COLUMNS.decisions, '')}),
  interaction_rows AS (${insertFromJson('interactions', DEFERRED_COLUMNS.interactions, '')}),
  ledger_rows AS (${insertFromJson('ledger', DEFERRED_COLUMNS.ledger, '')}),
  link_rows AS (${insertFromJson('decision_links', DEFERRED_COLUMNS.links, '')})
SELECT CAST((SELECT COUNT(*) FROM event_rows) AS integer) AS events, CAST((SELECT COUNT(*) FROM link_rows) AS integer) AS links`;

const personKey = (debtorId: string, personId: string): string => `${debtorId}\u0000${personId}`;

/** The group's read, plus what the group wrote since, kept so the answers stay those of the database. */
class GroupRead {
  /** Facts per contact event, in the group's order; the same event id may appear twice. */
  readonly facts = new Map<ContactEvent, IngestFacts>();
  readonly storedEventIds = new Set<string>();
  readonly storedDecisionIds = new Set<string>();
  readonly storedInteractionIds = new Set<string>();
  readonly persons = new Map<string, PersonReadRow>();
  readonly contactPoints = new Map<string, ContactPointRow>();
  /** Every contact point id the read asked for; one missing from `contactPoints` does not exist. */
  readonly askedContactPoints = new Set<string>();
  /** Ledger rows per person, ordered by instant and id, up to the group's latest contact. */
  readonly ledgers = new Map<string, LedgerRow[]>();
  readonly decisionContacts = new Map<string, string[]>();
  readonly heads = new Map<string, StoredDecisionLink | null>();
  readonly packs: Array<{ id: number; publishedAt: string }>;
  readonly packRecords = new Map<number, RulePackRecord | null>();
  readonly hashes: Map<string, string>;

  /** Rows stored by the group and not yet sent, written in one statement by `flush`. */
  private deferred: DeferredRows = emptyRows();

  constructor(
    /** Whether stored rows wait for `flush` (PostgreSQL); on SQLite an insert is no round trip, so they are written at once. */
    private readonly defersWrites: boolean,
    readonly watch: WriteWatch,
    private readonly sql: SqlConnection,
    inputs: readonly ReadInput[],
    events: readonly ContactEvent[],
    row: GroupReadRow,
  ) {
    for (const fact of row.facts ?? []) this.facts.set(events[fact.ord]!, toIngestFacts(fact));
    for (const person of row.persons ?? []) this.persons.set(personKey(person.debtor_id, person.id), person);
    for (const input of inputs) {
      this.askedContactPoints.add(input.contact_point_id);
      this.ledgers.set(input.person_id, []);
      if (input.decision_id !== null) {
        this.decisionContacts.set(input.decision_id, []);
        this.heads.set(input.workstation_id, null);
      }
    }
    for (const point of row.contact_points ?? []) this.contactPoints.set(point.id, point);
    for (const entry of row.ledger ?? []) this.ledgers.get(entry.person_id)?.push(entry);
    for (const contact of row.decision_contacts ?? []) this.decisionContacts.get(contact.decision_id)?.push(contact.id);
    for (const head of row.heads ?? []) this.heads.set(head.workstation_id, toLink(head));
    this.packs = (row.packs ?? []).map((pack) => ({ id: Number(pack.id), publishedAt: pack.published_at }));
    this.hashes = new Map(Object.entries(row.hashes ?? {}));
    this.latestUntil = inputs.reduce((latest, input) => (input.until_at > latest ? input.until_at : latest), '');
  }

  /** The latest contact instant the ledger was read up to. */
  readonly latestUntil: string;

  get fresh(): boolean {
    return !this.watch.stale;
  }

  /** Whether a row stored now waits for `flush`: only while the read is fresh, and only where writes are deferred. */
  get deferring(): boolean {
    return this.defersWrites && this.fresh;
  }

  defer(table: keyof DeferredRows, row: SqlValue[]): void {
    this.deferred[table].push(row);
  }

  /**
   * Writes the deferred rows in one statement. Under SERIALIZABLE, an event id that another
   * transaction stored since the group's read fails the transaction (it is retried) rather than
   * conflicting here; a count that still differs fails the group, which then runs event by event.
   */
  async flush(): Promise<void> {
    const rows = this.deferred;
    if (rows.events.length === 0 && rows.links.length === 0) return;
    this.deferred = emptyRows();
    const json = (table: keyof DeferredRows) => JSON.stringify(rows[table].map((values) => Object.fromEntries(DEFERRED_COLUMNS[table].map((column, index) => [column, values[index]]))));
    const written = (await this.sql.get<{ events: number; links: number }>(FLUSH_SQL, [json('events'), json('decisions'), json('interactions'), json('ledger'), json('links')]))!;
    if (written.events !== rows.events.length || written.links !== rows.links.length) {
      throw new Error(`Group ingest stored ${written.events} of ${rows.events.length} events and ${written.links} of ${rows.links.length} chain links: another transaction stored some of them first`);
    }
  }

  /** Adds a ledger row the group stored, in the order the database returns rows (instant, then id). */
  addLedgerRow(row: LedgerRow): void {
    const rows = this.ledgers.get(row.person_id);
    if (rows === undefined) return;
    // Instants and ids are text COLLATE "C" in this schema, so code-unit order is the database's.
    let index = rows.length;
    while (index > 0 && (rows[index - 1]!.at > row.at || (rows[index - 1]!.at === row.at && rows[index - 1]!.id > row.id))) index -= 1;
    rows.splice(index, 0, row);
  }

  /** The id of the pack `RulePacksTable.inForceAt` would return: the latest published by `at`, else the first ever. */
  packIdInForceAt(at: string): number | null {
    const later = (a: { id: number; publishedAt: string }, b: { id: number; publishedAt: string }): boolean =>
      a.publishedAt > b.publishedAt || (a.publishedAt === b.publishedAt && a.id > b.id);
    let inForce: { id: number; publishedAt: string } | null = null;
    let first: { id: number; publishedAt: string } | null = null;
    for (const pack of this.packs) {
      if (pack.publishedAt <= at && (inForce === null || later(pack, inForce))) inForce = pack;
      if (first === null || later(first, pack)) first = pack;
    }
    return (inForce ?? first)?.id ?? null;
  }
}

class GroupEventsTable extends EventsTable {
  constructor(
    private readonly read: GroupRead,
    sql: SqlConnection,
  ) {
    super(sql);
  }

  override async ingestFacts(event: ContactEvent): Promise<IngestFacts> {
    const facts = this.read.fresh ? this.read.facts.get(event) : undefined;
    if (facts === undefined) return super.ingestFacts(event);
    const projectionStored =
      event.type === 'decision.recorded' ? this.read.storedDecisionIds.has(event.payload.decisionId) : this.read.storedInteractionIds.has(event.payload.interactionId);
    return { ...facts, stored: facts.stored || this.read.storedEventIds.has(event.id), projectionIdTaken: facts.projectionIdTaken || projectionStored };
  }

  override async insertDecisionEvent(event: SyncEvent, decision: DecisionRecorded, receivedAt: Date): Promise<boolean> {
    // While the read is fresh, `ingestFacts` just said the event is new, so it is stored: the rows wait for `flush`.
    const deferred = this.read.deferring;
    if (deferred) {
      this.read.defer('events', eventRowValues(event, receivedAt));
      this.read.defer('decisions', decisionRowValues(event, decision));
    }
    const inserted = deferred || (await this.read.watch.expect(() => super.insertDecisionEvent(event, decision, receivedAt)));
    if (inserted) {
      this.read.storedEventIds.add(event.id);
      this.read.storedDecisionIds.add(decision.decisionId);
    }
    return inserted;
  }

  override async insertInteractionEvent(event: SyncEvent, interaction: InteractionRecorded, receivedAt: Date): Promise<LedgerEntry | null> {
    let entry: LedgerEntry | null;
    if (this.read.deferring) {
      this.read.defer('events', eventRowValues(event, receivedAt));
      this.read.defer('interactions', interactionRowValues(event, interaction));
      this.read.defer('ledger', ledgerRowValues(event, interaction, receivedAt));
      entry = ledgerEntryOf(interaction, receivedAt);
    } else {
      entry = await this.read.watch.expect(() => super.insertInteractionEvent(event, interaction, receivedAt));
    }
    if (entry !== null) {
      this.read.storedEventIds.add(event.id);
      this.read.storedInteractionIds.add(interaction.interactionId);
      this.read.decisionContacts.get(interaction.decisionId)?.push(interaction.interactionId);
      const at = ledgerInstantOf(interaction, receivedAt);
      if (at <= this.read.latestUntil) {
        this.read.addLedgerRow({ id: interaction.interactionId, debtor_id: interaction.debtorId, person_id: interaction.personId, channel: interaction.channel, kind: interaction.kind, at });
      }
    }
    return entry;
  }
}

class GroupFactsTable extends ComplianceFactsTable {
  constructor(
    private readonly read: GroupRead,
    sql: SqlConnection,
  ) {
    super(sql);
  }

  override async person(debtorId: string, personId: string, at: Date): Promise<KnownPerson | null> {
    const row = this.read.fresh ? this.read.persons.get(personKey(debtorId, personId)) : undefined;
    // A person with schedule requests on file is read again, to pick the request in force at `at`.
    if (row === undefined || (mayHaveScheduleRequest(row) && row.has_requests)) return super.person(debtorId, personId, at);
    return knownPersonOf(row, null);
  }

  override async contactPoint(contactPointId: string): Promise<KnownContactPoint | null> {
    if (!this.read.fresh || !this.read.askedContactPoints.has(contactPointId)) return super.contactPoint(contactPointId);
    const row = this.read.contactPoints.get(contactPointId);
    return row === undefined ? null : toKnownContactPoint(row);
  }

  override async personLedger(personId: string, until: Date, excludedIds: readonly string[]): Promise<LedgerEntry[]> {
    const rows = this.read.fresh ? this.read.ledgers.get(personId) : undefined;
    const limit = until.toISOString();
    if (rows === undefined || limit > this.read.latestUntil) return super.personLedger(personId, until, excludedIds);
    const excluded = new Set(excludedIds);
    return rows.filter((row) => row.at <= limit && !excluded.has(row.id)).map(toLedgerEntry);
  }

  override async interactionsOfDecision(decisionId: string): Promise<string[]> {
    const ids = this.read.fresh ? this.read.decisionContacts.get(decisionId) : undefined;
    return ids === undefined ? super.interactionsOfDecision(decisionId) : [...ids];
  }
}

class GroupDecisionLinksTable extends DecisionLinksTable {
  constructor(
    private readonly read: GroupRead,
    sql: SqlConnection,
  ) {
    super(sql);
  }

  override async head(workstationId: string): Promise<StoredDecisionLink | null> {
    if (!this.read.fresh || !this.read.heads.has(workstationId)) return super.head(workstationId);
    return this.read.heads.get(workstationId) ?? null;
  }

  override async insert(link: StoredDecisionLink): Promise<void> {
    if (this.read.deferring) {
      this.read.defer('links', [link.eventId, link.workstationId, link.workstationSeq, link.decisionId, link.index, link.prevHash, link.hash, link.receivedAt]);
    } else {
      await this.read.watch.expect(() => super.insert(link));
    }
    if (!this.read.heads.has(link.workstationId)) return;
    // The head is the link with the highest index, then the highest seq, as `head` orders them.
    const head = this.read.heads.get(link.workstationId) ?? null;
    if (head === null || link.index > head.index || (link.index === head.index && link.workstationSeq > head.workstationSeq)) {
      this.read.heads.set(link.workstationId, link);
    }
  }
}

class GroupRulePacksTable extends RulePacksTable {
  constructor(
    private readonly read: GroupRead,
    sql: SqlConnection,
  ) {
    super(sql);
  }

  override async inForceAt(at: Date): Promise<RulePackRecord | null> {
    if (!this.read.fresh) return super.inForceAt(at);
    const id = this.read.packIdInForceAt(at.toISOString());
    if (id === null) return null;
    const known = this.read.packRecords.get(id);
    if (known !== undefined) return known;
    // Read once per pack and group, and parsed once, instead of once per event.
    const record = await super.inForceAt(at);
    if (record?.id === id) this.read.packRecords.set(id, record);
    return record;
  }
}

class GroupContentTable extends PublishedContentTable {
  constructor(
    private readonly read: GroupRead,
    sql: SqlConnection,
  ) {
    super(sql);
  }

  override async publishedHash(key: string): Promise<string | null> {
    return this.read.fresh ? (this.read.hashes.get(key) ?? null) : super.publishedHash(key);
  }
}

function readInputOf(event: ContactEvent, ord: number): ReadInput {
  const interactionId = event.type === 'interaction.recorded' ? event.payload.interactionId : null;
  return {
    ord,
    event_id: event.id,
    debtor_id: event.payload.debtorId,
    person_id: event.payload.personId,
    agent_id: event.agentId,
    workstation_id: event.workstationId,
    occurred_at: toUtcIso(event.occurredAt),
    decision_id: event.type === 'decision.recorded' ? event.payload.decisionId : null,
    interaction_id: interactionId,
    holder_debtor_id: interactionId === null ? null : event.payload.debtorId,
    contact_point_id: event.payload.contactPointId,
    until_at: toUtcIso(event.type === 'decision.recorded' ? event.payload.trustedAt : event.payload.dialedAt),
  };
}

const isContactEvent = (event: SyncEvent): event is ContactEvent => event.type === 'decision.recorded' || event.type === 'interaction.recorded';

/** Tables for one group's ingest, and `finish`, which writes what they deferred; it must run before the commit. */
export interface GroupIngest {
  tables: Tables;
  finish(): Promise<void>;
}

/**
 * Returns tables for ingesting `items` in the caller's transaction, with the group's reads done now:
 * in one statement on PostgreSQL, where the stored rows are also written together, and in one
 * statement per kind of lookup on SQLite (`sqlite-group-read.ts`). A group without contact events
 * gets the tables as given.
 */
export async function groupIngest(tables: Tables, items: readonly IngestItem[]): Promise<GroupIngest> {
  const sql = tables.events.sql;
  const plain = { tables, finish: async () => {} };
  const events = items.flatMap((item) => ('event' in item && isContactEvent(item.event) ? [item.event] : []));
  if (events.length < MIN_CONTACT_EVENTS) return plain;

  const inputs = events.map(readInputOf);
  const onPostgres = sql.writableCte === true;
  const row = onPostgres ? (await sql.get<GroupReadRow>(GROUP_READ_SQL, [JSON.stringify(inputs)]))! : await readGroupOnSqlite(sql, inputs);
  const watch = new WriteWatch(sql);
  const read = new GroupRead(onPostgres, watch, sql, inputs, events, row);
  watch.beforeStatement = () => read.flush();
  return {
    tables: {
      ...bindTables(watch, tables.leaseDurationMs),
      events: new GroupEventsTable(read, watch),
      facts: new GroupFactsTable(read, watch),
      decisionLinks: new GroupDecisionLinksTable(read, watch),
      // Rule packs are not among the deferred rows, so their reads need not wait for a flush.
      rulePacks: new GroupRulePacksTable(read, sql),
      content: new GroupContentTable(read, watch),
    },
    finish: () => read.flush(),
  };
}

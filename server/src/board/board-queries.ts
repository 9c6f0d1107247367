/**
 * The board's reads: today's counts per agent from the stored projections (interactions,
 * decisions, leases), grouped in SQL, so that the reply does not grow with the number of contacts.
 * Every instant in those tables is stored as UTC ISO text, so a day is a range of strings.
 */
import { MAX_BOARD_ALARMS } from '@gestiona/core/board';
import type { Role } from '@gestiona/core/sync';
import type { SqlConnection, SqlValue } from '../store/sql.ts';
import { loadPromiseBoardFigures, type AgentPromiseFigures } from '../promises/board-figures.ts';
import { LED_AGENT_IDS_SQL } from '../store/teams.ts';
import type { AlarmKind, WorkstationRecord } from '../store/types.ts';
import { WorkstationsTable } from '../store/workstations.ts';
import { queueKeyOf, readQueueSegments, type QueueSegment } from './board-segments.ts';

/** A half-open range of instants `[start, end)`, as UTC ISO strings. */
export interface InstantRange {
  start: string;
  end: string;
}

export interface AgentDayCounts {
  interactions: number;
  debtorsWorked: number;
  rightPartyContacts: number;
}

export interface AgentDecisionCounts {
  decisions: number;
  blocked: number;
}

/** A typified promise: its agent and the typification fields as stored (JSON text). */
export interface PromiseRow {
  agentId: string;
  code: string;
  fields: string;
  /** The queue the board counts the promise in: the debtor's strategy segment, or `NO_SEGMENT_KEY`. */
  segment: string;
}

/** Today's counts of one agent in one queue (the strategy segment of the debtors, or `NO_SEGMENT_KEY`). */
export interface BoardCell {
  agentId: string;
  segment: string;
  /** Open leases. */
  leased: number;
  /** Open leases of debtors without an interaction today. */
  pending: number;
  /** Open leases of debtors whose every contactable person is in today's ledger. */
  budgetUsed: number;
  interactions: number;
  debtorsWorked: number;
  /** The debtors counted in `debtorsWorked`, so a team or the total counts a debtor two agents worked once. */
  workedDebtorIds: string[];
  rightPartyContacts: number;
  /** Sum of the seconds from dial to typification of today's interactions. */
  handleSeconds: number;
  /** Allowed decisions today without an interaction. */
  untypified: number;
  /** Today's finished wrap-ups that closed a contact with a debtor of this queue, and their seconds. */
  wrapUps: number;
  wrapUpSeconds: number;
}

/** The finished wrap-ups of one agent today. */
export interface WrapUpTotals {
  seconds: number;
  count: number;
}

export interface LatestInstants {
  /** The agent's latest allowed gate decision, which is the dial that starts a wrap-up. */
  lastAllowedDecisionAt: string | null;
  /** The agent's latest typification, which ends a wrap-up. */
  lastTypifiedAt: string | null;
}

/** An unacknowledged alarm with the names the board shows next to it. */
export interface OpenAlarmRow {
  id: number;
  kind: AlarmKind;
  message: string;
  debtorId: string | null;
  debtorName: string | null;
  workstationId: string;
  agentId: string;
  agentName: string | null;
  /** UTC ISO instant. */
  createdAt: string;
}

export interface BoardAlarmFacts {
  /** Today's unacknowledged alarms, newest first, at most `MAX_BOARD_ALARMS`. */
  open: OpenAlarmRow[];
  openTotal: number;
  /** Alarms raised from the start of the day 6 days before today to the end of today, per kind. */
  lastSevenDaysByKind: Map<AlarmKind, number>;
}

export interface BoardUser {
  id: string;
  username: string;
  fullName: string;
  role: Role;
  active: boolean;
}

export interface BoardFacts {
  users: BoardUser[];
  workstations: WorkstationRecord[];
  leasedByAgent: Map<string, number>;
  countsByAgent: Map<string, AgentDayCounts>;
  decisionsByAgent: Map<string, AgentDecisionCounts>;
  /** The rule ids of each decision blocked today, as stored (a JSON array per decision). */
  blockedRules: string[];
  promises: PromiseRow[];
  latestByAgent: Map<string, LatestInstants>;
  alarms: BoardAlarmFacts;
  /** The team of each agent in scope that has one. */
  agentTeams: Map<string, { id: string; name: string }>;
  cells: BoardCell[];
  wrapUpsByAgent: Map<string, WrapUpTotals>;
  /** Promise instalments due and promises broken on the day, per agent who made them (every agent, not only the scope's). */
  promiseDays: Map<string, AgentPromiseFigures>;
  /** The same figures per agent and queue (the debtor's segment), for the queue rows. */
  promiseQueueDays: AgentQueuePromiseFigures[];
  /** The queues: the segments of the strategy in force, in its order. */
  queueSegments: QueueSegment[];
}

export interface AgentQueuePromiseFigures extends AgentPromiseFigures {
  segment: string;
}

/** The condition that keeps only a team lead's agents, or nothing (every agent) without a lead. */
interface AgentScope {
  /** ` AND agent_id IN (…)`, or empty. */
  and: string;
  params: SqlValue[];
}

function agentScope(ledBy: string | undefined, column = 'agent_id'): AgentScope {
  return ledBy === undefined ? { and: '', params: [] } : { and: ` AND ${column} IN (${LED_AGENT_IDS_SQL})`, params: [ledBy] };
}

/**
 * Reads every fact of the board; run it in one snapshot so that the counts agree with each other.
 * With `ledBy` (a team lead's user id), every fact covers only the agents of the teams they lead.
 */
export async function readBoardFacts(sql: SqlConnection, day: InstantRange, promiseCodes: readonly string[], now: Date, ledBy?: string): Promise<BoardFacts> {
  const scope = agentScope(ledBy);
  // The lead is listed too, so their own workstation row names them; only agents become agent rows.
  const userScope = ledBy === undefined ? { and: '', params: [] } : { and: ` AND (id IN (${LED_AGENT_IDS_SQL}) OR id = ?)`, params: [ledBy, ledBy] };
  const users = await sql.all<{ id: string; username: string; full_name: string; role: Role; active: number }>(
    `SELECT id, username, full_name, role, active FROM users WHERE 1 = 1${userScope.and} ORDER BY username`,
    userScope.params,
  );
  const scopedUserIds = new Set(users.map((user) => user.id));
  // A team lead also sees the workstation they are signed in on: its backlog and clock are theirs to watch.
  const workstations = (await new WorkstationsTable(sql).list()).filter(
    (record) => ledBy === undefined || record.agentId === ledBy || scopedUserIds.has(record.agentId),
  );

  const leases = await sql.all<{ agent_id: string; count: number }>(
    `SELECT agent_id, COUNT(*) AS count FROM leases WHERE released_at IS NULL AND expires_at > ?${scope.and} GROUP BY agent_id`,
    [now.toISOString(), ...scope.params],
  );

  const interactions = await sql.all<{ agent_id: string; interactions: number; debtors: number; two_way: number }>(
    `SELECT agent_id, COUNT(*) AS interactions, COUNT(DISTINCT debtor_id) AS debtors,
            SUM(CASE WHEN kind = 'two-way' THEN 1 ELSE 0 END) AS two_way
     FROM interactions WHERE dialed_at >= ? AND dialed_at < ?${scope.and} GROUP BY agent_id`,
    [day.start, day.end, ...scope.params],
  );

  const decisions = await sql.all<{ agent_id: string; decisions: number; blocked: number }>(
    `SELECT agent_id, COUNT(*) AS decisions, SUM(CASE WHEN allowed = 0 THEN 1 ELSE 0 END) AS blocked
     FROM decisions WHERE trusted_at >= ? AND trusted_at < ?${scope.and} GROUP BY agent_id`,
    [day.start, day.end, ...scope.params],
  );

  const blockedRules = await sql.all<{ rules: string }>(`SELECT rules FROM decisions WHERE allowed = 0 AND trusted_at >= ? AND trusted_at < ?${scope.and}`, [
    day.start,
    day.end,
    ...scope.params,
  ]);

  const queueSegments = await readQueueSegments(sql);
  const promises = await readPromises(sql, day, promiseCodes, agentScope(ledBy, 'interactions.agent_id'), queueSegments);

  // Not limited to today: a wrap-up can start before midnight and still be pending.
  const latestAllowed = await sql.all<{ agent_id: string; at: string }>(
    `SELECT agent_id, MAX(trusted_at) AS at FROM decisions WHERE allowed = 1${scope.and} GROUP BY agent_id`,
    scope.params,
  );
  const latestTypified = await sql.all<{ agent_id: string; at: string }>(
    `SELECT agent_id, MAX(typified_at) AS at FROM interactions WHERE 1 = 1${scope.and} GROUP BY agent_id`,
    scope.params,
  );

  const latestByAgent = new Map<string, LatestInstants>();
  const latestOf = (agentId: string): LatestInstants => {
    let latest = latestByAgent.get(agentId);
    if (!latest) {
      latest = { lastAllowedDecisionAt: null, lastTypifiedAt: null };
      latestByAgent.set(agentId, latest);
    }
    return latest;
  };
  for (const row of latestAllowed) latestOf(row.agent_id).lastAllowedDecisionAt = row.at;
  for (const row of latestTypified) latestOf(row.agent_id).lastTypifiedAt = row.at;

  return {
    users: users.map((row) => ({ id: row.id, username: row.username, fullName: row.full_name, role: row.role, active: Number(row.active) === 1 })),
    workstations,
    leasedByAgent: new Map(leases.map((row) => [row.agent_id, Number(row.count)])),
    countsByAgent: new Map(
      interactions.map((row) => [
        row.agent_id,
        { interactions: Number(row.interactions), debtorsWorked: Number(row.debtors), rightPartyContacts: Number(row.two_way ?? 0) },
      ]),
    ),
    decisionsByAgent: new Map(decisions.map((row) => [row.agent_id, { decisions: Number(row.decisions), blocked: Number(row.blocked ?? 0) }])),
    blockedRules: blockedRules.map((row) => row.rules),
    promises,
    latestByAgent,
    alarms: await readAlarmFacts(sql, day, ledBy),
    agentTeams: await readAgentTeams(sql, ledBy),
    cells: await readCells(sql, day, now, ledBy, queueSegments),
    wrapUpsByAgent: await readWrapUps(sql, day, ledBy),
    promiseDays: new Map((await loadPromiseBoardFigures(sql, bogotaDateOf(day))).map((figures) => [figures.agentId, figures])),
    promiseQueueDays: await readPromiseQueueDays(sql, bogotaDateOf(day), queueSegments),
    queueSegments,
  };
}

/**
 * Promise instalments due and promises broken on `day` (Bogotá), per agent and debtor segment. The
 * rules are those of `loadPromiseBoardFigures`; only the grouping differs.
 */
async function readPromiseQueueDays(sql: SqlConnection, day: string, segments: readonly QueueSegment[]): Promise<AgentQueuePromiseFigures[]> {
  type Row = { agent_id: string; segment: string | null; count: number | string; amount: number | string | null };
  const due = await sql.all<Row>(
    `SELECT promises.agent_id, debtors.segment_id AS segment, COUNT(*) AS count, SUM(promise_instalments.amount_cents) AS amount
     FROM promise_instalments JOIN promises ON promises.id = promise_instalments.promise_id JOIN debtors ON debtors.id = promises.debtor_id
     WHERE promise_instalments.due_on = ? GROUP BY promises.agent_id, debtors.segment_id`,
    [day],
  );
  const broken = await sql.all<Row>(
    `SELECT promises.agent_id, debtors.segment_id AS segment, COUNT(*) AS count, SUM(promises.amount_cents - promises.paid_cents + promises.excess_cents) AS amount
     FROM promises JOIN debtors ON debtors.id = promises.debtor_id
     WHERE promises.status = 'broken' AND promises.id IN (
       SELECT promise_id FROM promise_status_changes WHERE changed_on = ? AND to_status = 'broken' AND instalment IS NULL)
     GROUP BY promises.agent_id, debtors.segment_id`,
    [day],
  );
  const figures = new Map<string, AgentQueuePromiseFigures>();
  const entry = (row: Row): AgentQueuePromiseFigures => {
    const segment = queueKeyOf(segments, row.segment);
    const key = `${row.agent_id}\u0000${segment}`;
    let figure = figures.get(key);
    if (!figure) {
      figure = { agentId: row.agent_id, segment, dueToday: { count: 0, amountCents: 0 }, brokenToday: { count: 0, amountCents: 0 } };
      figures.set(key, figure);
    }
    return figure;
  };
  // Several stale segments fall into «Sin segmento», so the rows add up.
  for (const row of due) {
    const figure = entry(row).dueToday;
    figure.count += Number(row.count);
    figure.amountCents += Number(row.amount ?? 0);
  }
  for (const row of broken) {
    const figure = entry(row).brokenToday;
    figure.count += Number(row.count);
    figure.amountCents += Number(row.amount ?? 0);
  }
  return [...figures.values()];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The Bogotá date (`YYYY-MM-DD`) of a day range: its start is Bogotá's midnight, 05:00 UTC. */
export function bogotaDateOf(day: InstantRange): string {
  return new Date(Date.parse(day.start) + 5 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

async function readAlarmFacts(sql: SqlConnection, day: InstantRange, ledBy: string | undefined): Promise<BoardAlarmFacts> {
  const scope = agentScope(ledBy);
  const alarmScope = agentScope(ledBy, 'alarms.agent_id');
  const open = await sql.all<{
    id: number;
    kind: AlarmKind;
    message: string;
    debtor_id: string | null;
    debtor_name: string | null;
    workstation_id: string;
    agent_id: string;
    agent_name: string | null;
    created_at: string;
  }>(
    `SELECT alarms.id, alarms.kind, alarms.message, alarms.debtor_id, debtors.full_name AS debtor_name,
            alarms.workstation_id, alarms.agent_id, users.full_name AS agent_name, alarms.created_at
     FROM alarms
     LEFT JOIN debtors ON debtors.id = alarms.debtor_id
     LEFT JOIN users ON users.id = alarms.agent_id
     WHERE alarms.acknowledged_at IS NULL AND alarms.created_at >= ? AND alarms.created_at < ?${alarmScope.and}
     ORDER BY alarms.created_at DESC, alarms.id DESC
     LIMIT ?`,
    [day.start, day.end, ...alarmScope.params, MAX_BOARD_ALARMS],
  );
  const total = await sql.get<{ count: number }>(
    `SELECT COUNT(*) AS count FROM alarms WHERE acknowledged_at IS NULL AND created_at >= ? AND created_at < ?${scope.and}`,
    [day.start, day.end, ...scope.params],
  );

  // Bogotá has no daylight saving time, so six days before today's midnight is always 6 × 24 hours.
  const weekStart = new Date(Date.parse(day.start) - 6 * DAY_MS).toISOString();
  const byKind = await sql.all<{ kind: AlarmKind; count: number }>(
    `SELECT kind, COUNT(*) AS count FROM alarms WHERE created_at >= ? AND created_at < ?${scope.and} GROUP BY kind`,
    [weekStart, day.end, ...scope.params],
  );

  return {
    open: open.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      message: row.message,
      debtorId: row.debtor_id,
      debtorName: row.debtor_name,
      workstationId: row.workstation_id,
      agentId: row.agent_id,
      agentName: row.agent_name,
      createdAt: row.created_at,
    })),
    openTotal: Number(total?.count ?? 0),
    lastSevenDaysByKind: new Map(byKind.map((row) => [row.kind, Number(row.count)])),
  };
}

async function readPromises(
  sql: SqlConnection,
  day: InstantRange,
  promiseCodes: readonly string[],
  scope: AgentScope,
  segments: readonly QueueSegment[],
): Promise<PromiseRow[]> {
  if (promiseCodes.length === 0) return [];
  const placeholders = promiseCodes.map(() => '?').join(', ');
  const rows = await sql.all<{ agent_id: string; code: string; fields: string; segment: string | null }>(
    `SELECT interactions.agent_id, interactions.code, interactions.fields, debtors.segment_id AS segment
     FROM interactions JOIN debtors ON debtors.id = interactions.debtor_id
     WHERE interactions.dialed_at >= ? AND interactions.dialed_at < ? AND interactions.code IN (${placeholders})${scope.and}`,
    [day.start, day.end, ...promiseCodes, ...scope.params],
  );
  return rows.map((row) => ({ agentId: row.agent_id, code: row.code, fields: row.fields, segment: queueKeyOf(segments, row.segment) }));
}

/** A decision made this long before midnight can still be typified today; its interaction is looked up from then on. */
const TYPIFY_MARGIN_MS = 6 * 60 * 60 * 1000;

/**
 * Seconds between two UTC ISO columns. SQLite has `julianday`; PostgreSQL gets a function of that
 * name in migration 018, so the same text runs on both.
 */
export function secondsBetweenSql(from: string, to: string): string {
  return `((julianday(${to}) - julianday(${from})) * 86400.0)`;
}

/** Debtors whose every contactable person (not a reference) has an entry in today's ledger: R5 allows no other contact today. */
export function budgetUsedSql(debtorColumn: string): string {
  return `(EXISTS (SELECT 1 FROM persons WHERE persons.debtor_id = ${debtorColumn} AND persons.role <> 'reference')
    AND NOT EXISTS (SELECT 1 FROM persons WHERE persons.debtor_id = ${debtorColumn} AND persons.role <> 'reference'
      AND NOT EXISTS (SELECT 1 FROM ledger WHERE ledger.debtor_id = ${debtorColumn} AND ledger.person_id = persons.id AND ledger.at >= ? AND ledger.at < ?)))`;
}

async function readAgentTeams(sql: SqlConnection, ledBy: string | undefined): Promise<Map<string, { id: string; name: string }>> {
  const scope = agentScope(ledBy, 'team_members.user_id');
  const rows = await sql.all<{ user_id: string; id: string; name: string }>(
    `SELECT team_members.user_id, teams.id, teams.name FROM team_members JOIN teams ON teams.id = team_members.team_id WHERE 1 = 1${scope.and}`,
    scope.params,
  );
  return new Map(rows.map((row) => [row.user_id, { id: row.id, name: row.name }]));
}

/** Returns the cell of an agent and queue with nothing counted yet. */
export function emptyBoardCell(agentId: string, segment: string): BoardCell {
  return {
    agentId,
    segment,
    leased: 0,
    pending: 0,
    budgetUsed: 0,
    interactions: 0,
    debtorsWorked: 0,
    workedDebtorIds: [],
    rightPartyContacts: 0,
    handleSeconds: 0,
    untypified: 0,
    wrapUps: 0,
    wrapUpSeconds: 0,
  };
}

function cellOf(cells: Map<string, BoardCell>, agentId: string, segment: string): BoardCell {
  const key = `${agentId}\u0000${segment}`;
  let cell = cells.get(key);
  if (!cell) {
    cell = emptyBoardCell(agentId, segment);
    cells.set(key, cell);
  }
  return cell;
}

/**
 * Reads today's cells per agent and queue. SQL groups by the stored `segment_id`, and several stored
 * values (none, or slugs the strategy no longer has) fall into «Sin segmento», so the counts of one
 * queue add up here.
 */
async function readCells(sql: SqlConnection, day: InstantRange, now: Date, ledBy: string | undefined, segments: readonly QueueSegment[]): Promise<BoardCell[]> {
  const cells = new Map<string, BoardCell>();
  const cellAt = (agentId: string, segmentId: string | null): BoardCell => cellOf(cells, agentId, queueKeyOf(segments, segmentId));

  const leaseScope = agentScope(ledBy, 'leases.agent_id');
  const leases = await sql.all<{ agent_id: string; segment: string | null; leased: number; pending: number; budget_used: number }>(
    `SELECT leases.agent_id, debtors.segment_id AS segment, COUNT(*) AS leased,
            SUM(CASE WHEN leases.debtor_id IN (SELECT debtor_id FROM interactions WHERE dialed_at >= ? AND dialed_at < ?) THEN 0 ELSE 1 END) AS pending,
            SUM(CASE WHEN ${budgetUsedSql('leases.debtor_id')} THEN 1 ELSE 0 END) AS budget_used
     FROM leases JOIN debtors ON debtors.id = leases.debtor_id
     WHERE leases.released_at IS NULL AND leases.expires_at > ?${leaseScope.and}
     GROUP BY leases.agent_id, debtors.segment_id`,
    [day.start, day.end, day.start, day.end, now.toISOString(), ...leaseScope.params],
  );
  for (const row of leases) {
    const cell = cellAt(row.agent_id, row.segment);
    cell.leased += Number(row.leased);
    cell.pending += Number(row.pending ?? 0);
    cell.budgetUsed += Number(row.budget_used ?? 0);
  }

  const interactionScope = agentScope(ledBy, 'interactions.agent_id');
  const interactions = await sql.all<{ agent_id: string; segment: string | null; interactions: number; debtors: number; two_way: number; seconds: number }>(
    `SELECT interactions.agent_id, debtors.segment_id AS segment, COUNT(*) AS interactions, COUNT(DISTINCT interactions.debtor_id) AS debtors,
            SUM(CASE WHEN interactions.kind = 'two-way' THEN 1 ELSE 0 END) AS two_way,
            SUM(CASE WHEN interactions.typified_at > interactions.dialed_at THEN ${secondsBetweenSql('interactions.dialed_at', 'interactions.typified_at')} ELSE 0 END) AS seconds
     FROM interactions JOIN debtors ON debtors.id = interactions.debtor_id
     WHERE interactions.dialed_at >= ? AND interactions.dialed_at < ?${interactionScope.and}
     GROUP BY interactions.agent_id, debtors.segment_id`,
    [day.start, day.end, ...interactionScope.params],
  );
  for (const row of interactions) {
    const cell = cellAt(row.agent_id, row.segment);
    cell.interactions += Number(row.interactions);
    cell.debtorsWorked += Number(row.debtors);
    cell.rightPartyContacts += Number(row.two_way ?? 0);
    cell.handleSeconds += Number(row.seconds ?? 0);
  }
  const worked = await sql.all<{ agent_id: string; segment: string | null; debtor_id: string }>(
    `SELECT DISTINCT interactions.agent_id, debtors.segment_id AS segment, interactions.debtor_id
     FROM interactions JOIN debtors ON debtors.id = interactions.debtor_id
     WHERE interactions.dialed_at >= ? AND interactions.dialed_at < ?${interactionScope.and}`,
    [day.start, day.end, ...interactionScope.params],
  );
  for (const row of worked) cellAt(row.agent_id, row.segment).workedDebtorIds.push(row.debtor_id);

  const decisionScope = agentScope(ledBy, 'decisions.agent_id');
  const untypified = await sql.all<{ agent_id: string; segment: string | null; count: number }>(
    `SELECT decisions.agent_id, debtors.segment_id AS segment, COUNT(*) AS count
     FROM decisions JOIN debtors ON debtors.id = decisions.debtor_id
     WHERE decisions.allowed = 1 AND decisions.trusted_at >= ? AND decisions.trusted_at < ?
       AND decisions.id NOT IN (SELECT decision_id FROM interactions WHERE dialed_at >= ?)${decisionScope.and}
     GROUP BY decisions.agent_id, debtors.segment_id`,
    [day.start, day.end, new Date(Date.parse(day.start) - TYPIFY_MARGIN_MS).toISOString(), ...decisionScope.params],
  );
  for (const row of untypified) cellAt(row.agent_id, row.segment).untypified += Number(row.count);

  const spanScope = agentScope(ledBy);
  const wrapUps = await sql.all<{ agent_id: string; segment: string | null; seconds: number; count: number }>(
    `SELECT spans.agent_id, debtors.segment_id AS segment, SUM(${secondsBetweenSql('spans.since', 'spans.ended')}) AS seconds, COUNT(*) AS count
     ${wrapUpSpansSql(spanScope)}
     JOIN interactions ON ${wrapUpContactSql('interactions')} JOIN debtors ON debtors.id = interactions.debtor_id
     WHERE spans.state = 'wrap-up' AND spans.ended IS NOT NULL AND spans.ended > spans.since
       AND interactions.dialed_at >= ? AND interactions.dialed_at < ?
     GROUP BY spans.agent_id, debtors.segment_id`,
    [day.start, day.end, ...spanScope.params, new Date(Date.parse(day.start) - TYPIFY_MARGIN_MS).toISOString(), day.end],
  );
  for (const row of wrapUps) {
    const cell = cellAt(row.agent_id, row.segment);
    cell.wrapUps += Number(row.count);
    cell.wrapUpSeconds += Number(row.seconds ?? 0);
  }

  return [...cells.values()];
}

/**
 * Returns today's desk states as spans (`spans`): a row of `agent_state_changes` ends where the next
 * row of the same workstation starts. Its parameters are the day's range, then those of `scope`,
 * which keeps a team lead's agents before the window function, so a lead's read sorts only their rows.
 */
export function wrapUpSpansSql(scope: { and: string }): string {
  return `FROM (
       SELECT workstation_id, agent_id, state, since, LEAD(since) OVER (PARTITION BY workstation_id ORDER BY since, id) AS ended
       FROM agent_state_changes WHERE since >= ? AND since < ?${scope.and}
     ) spans`;
}

/**
 * Returns the condition that joins a wrap-up span to the contact it closed, with `contacts` the
 * alias of the interactions. The state reports carry no debtor, but a workstation holds one open
 * contact at a time, from its dial to its typification. The wrap-up that starts inside that window
 * (at the dial for a failed one) so belongs to that contact and to its debtor. The window is
 * half-open, so a dial placed at the instant the previous contact was typified keeps its own wrap-up.
 */
export function wrapUpContactSql(contacts: string): string {
  return `${contacts}.workstation_id = spans.workstation_id AND ${contacts}.agent_id = spans.agent_id
       AND spans.since >= ${contacts}.dialed_at AND spans.since < ${contacts}.typified_at`;
}

/**
 * Today's finished wrap-ups per agent: a `wrap-up` row of `agent_state_changes` ends where the
 * next row of the same workstation starts. A wrap-up still open has no end and is not counted.
 */
async function readWrapUps(sql: SqlConnection, day: InstantRange, ledBy: string | undefined): Promise<Map<string, WrapUpTotals>> {
  const scope = agentScope(ledBy);
  const rows = await sql.all<{ agent_id: string; seconds: number; count: number }>(
    `SELECT spans.agent_id, SUM(${secondsBetweenSql('spans.since', 'spans.ended')}) AS seconds, COUNT(*) AS count
     ${wrapUpSpansSql(scope)}
     WHERE spans.state = 'wrap-up' AND spans.ended IS NOT NULL AND spans.ended > spans.since
     GROUP BY spans.agent_id`,
    [day.start, day.end, ...scope.params],
  );
  return new Map(rows.map((row) => [row.agent_id, { seconds: Number(row.seconds ?? 0), count: Number(row.count) }]));
}

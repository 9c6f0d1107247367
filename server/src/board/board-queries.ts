/**
 * The board's reads: today's counts per agent from the stored projections (interactions,
 * decisions, leases), grouped in SQL, so that the reply does not grow with the number of contacts.
 * Every instant in those tables is stored as UTC ISO text, so a day is a range of strings.
 */
import { MAX_BOARD_ALARMS } from '@gestiona/core/board';
import type { Role } from '@gestiona/core/sync';
import type { SqlConnection, SqlValue } from '../store/sql.ts';
import { LED_AGENT_IDS_SQL } from '../store/teams.ts';
import type { AlarmKind, WorkstationRecord } from '../store/types.ts';
import { WorkstationsTable } from '../store/workstations.ts';

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
  const userScope = agentScope(ledBy, 'id');
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

  const promises = await readPromises(sql, day, promiseCodes, scope);

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
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

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

async function readPromises(sql: SqlConnection, day: InstantRange, promiseCodes: readonly string[], scope: AgentScope): Promise<PromiseRow[]> {
  if (promiseCodes.length === 0) return [];
  const placeholders = promiseCodes.map(() => '?').join(', ');
  const rows = await sql.all<{ agent_id: string; code: string; fields: string }>(
    `SELECT agent_id, code, fields FROM interactions WHERE dialed_at >= ? AND dialed_at < ? AND code IN (${placeholders})${scope.and}`,
    [day.start, day.end, ...promiseCodes, ...scope.params],
  );
  return rows.map((row) => ({ agentId: row.agent_id, code: row.code, fields: row.fields }));
}

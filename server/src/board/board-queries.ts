/**
 * The board's reads: today's counts per agent from the stored projections (interactions,
 * decisions, leases), grouped in SQL, so that the reply does not grow with the number of contacts.
 * Every instant in those tables is stored as UTC ISO text, so a day is a range of strings.
 */
import type { Role } from '@gestiona/core/sync';
import type { SqlConnection } from '../store/sql.ts';
import type { WorkstationRecord } from '../store/types.ts';
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
}

/** Reads every fact of the board; run it in one snapshot so that the counts agree with each other. */
export async function readBoardFacts(sql: SqlConnection, day: InstantRange, promiseCodes: readonly string[], now: Date): Promise<BoardFacts> {
  const users = await sql.all<{ id: string; username: string; full_name: string; role: Role; active: number }>(
    'SELECT id, username, full_name, role, active FROM users ORDER BY username',
  );
  const workstations = await new WorkstationsTable(sql).list();

  const leases = await sql.all<{ agent_id: string; count: number }>(
    'SELECT agent_id, COUNT(*) AS count FROM leases WHERE released_at IS NULL AND expires_at > ? GROUP BY agent_id',
    [now.toISOString()],
  );

  const interactions = await sql.all<{ agent_id: string; interactions: number; debtors: number; two_way: number }>(
    `SELECT agent_id, COUNT(*) AS interactions, COUNT(DISTINCT debtor_id) AS debtors,
            SUM(CASE WHEN kind = 'two-way' THEN 1 ELSE 0 END) AS two_way
     FROM interactions WHERE dialed_at >= ? AND dialed_at < ? GROUP BY agent_id`,
    [day.start, day.end],
  );

  const decisions = await sql.all<{ agent_id: string; decisions: number; blocked: number }>(
    `SELECT agent_id, COUNT(*) AS decisions, SUM(CASE WHEN allowed = 0 THEN 1 ELSE 0 END) AS blocked
     FROM decisions WHERE trusted_at >= ? AND trusted_at < ? GROUP BY agent_id`,
    [day.start, day.end],
  );

  const blockedRules = await sql.all<{ rules: string }>('SELECT rules FROM decisions WHERE allowed = 0 AND trusted_at >= ? AND trusted_at < ?', [
    day.start,
    day.end,
  ]);

  const promises = await readPromises(sql, day, promiseCodes);

  // Not limited to today: a wrap-up can start before midnight and still be pending.
  const latestAllowed = await sql.all<{ agent_id: string; at: string }>(
    'SELECT agent_id, MAX(trusted_at) AS at FROM decisions WHERE allowed = 1 GROUP BY agent_id',
  );
  const latestTypified = await sql.all<{ agent_id: string; at: string }>('SELECT agent_id, MAX(typified_at) AS at FROM interactions GROUP BY agent_id');

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
  };
}

async function readPromises(sql: SqlConnection, day: InstantRange, promiseCodes: readonly string[]): Promise<PromiseRow[]> {
  if (promiseCodes.length === 0) return [];
  const placeholders = promiseCodes.map(() => '?').join(', ');
  const rows = await sql.all<{ agent_id: string; code: string; fields: string }>(
    `SELECT agent_id, code, fields FROM interactions WHERE dialed_at >= ? AND dialed_at < ? AND code IN (${placeholders})`,
    [day.start, day.end, ...promiseCodes],
  );
  return rows.map((row) => ({ agentId: row.agent_id, code: row.code, fields: row.fields }));
}

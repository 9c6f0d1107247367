/** The debtors a team lead picks from in the board's reassignment form: by agent, by name or id. */
import type { BoardDebtor } from '@gestiona/core/board';
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { handoverState } from '../leases/handover.ts';
import type { SqlConnection, SqlValue } from '../store/sql.ts';
import type { Tables } from '../store/tables.ts';
import { LED_AGENT_IDS_SQL } from '../store/teams.ts';

export interface BoardDebtorQuery {
  /** Only debtors whose open lease is this agent's. */
  agentId?: string;
  /** Part of the debtor's id or name, case-insensitive. */
  text?: string;
  /** Only debtors leased to agents of the teams that this team lead (user id) leads. */
  ledBy?: string;
  limit: number;
}

interface DebtorRow {
  id: string;
  full_name: string;
  agent_id: string | null;
  agent_name: string | null;
}

/** Returns the matching debtors by name. A team lead's search covers only debtors with an open lease in their teams. */
export async function searchBoardDebtors(sql: SqlConnection, tables: Tables, query: BoardDebtorQuery): Promise<BoardDebtor[]> {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (query.agentId !== undefined) {
    conditions.push('l.agent_id = ?');
    params.push(query.agentId);
  }
  if (query.ledBy !== undefined) {
    conditions.push(`l.agent_id IN (${LED_AGENT_IDS_SQL})`);
    params.push(query.ledBy);
  }
  const text = query.text?.trim().toLowerCase();
  if (text) {
    // An id typed as the screens show it ("ce 174799") matches the stored "CE-174799" too.
    const idText = normalizeDebtorId(text).toLowerCase();
    conditions.push("(LOWER(d.id) LIKE ? ESCAPE '\\' OR LOWER(d.id) LIKE ? ESCAPE '\\' OR LOWER(d.full_name) LIKE ? ESCAPE '\\')");
    params.push(likePattern(text), likePattern(idText), likePattern(text));
  }
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  params.push(query.limit);
  const rows = await sql.all<DebtorRow>(
    `SELECT d.id, d.full_name, l.agent_id, u.full_name AS agent_name
     FROM debtors d
     LEFT JOIN leases l ON l.debtor_id = d.id AND l.released_at IS NULL
     LEFT JOIN users u ON u.id = l.agent_id
     ${where}
     ORDER BY d.full_name, d.id LIMIT ?`,
    params,
  );

  const result: BoardDebtor[] = [];
  for (const row of rows) result.push({ debtorId: row.id, fullName: row.full_name, agentId: row.agent_id, agentName: row.agent_name, pendingReassignment: await isPending(tables, row) });
  return result;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Returns whether the debtor's open lease waits for the handover from another agent, which is a pending reassignment. */
async function isPending(tables: Tables, row: DebtorRow): Promise<boolean> {
  if (row.agent_id === null) return false;
  const history = await tables.leases.historyOf(row.id);
  const open = history.find((record) => record.releasedAt === null);
  if (!open) return false;
  return handoverState(history.filter((record) => record.id < open.id), open).waitsUntil !== null;
}

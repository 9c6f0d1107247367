/**
 * The board's promise figures of one Bogotá day, per agent who made the promises: instalments
 * falling due that day, and promises judged broken that day. "Broken today" counts the status
 * changes recorded that day, so it follows the hourly sweep that judges lapsed promises.
 */
import type { SqlConnection } from '../store/sql.ts';

export interface PromiseFigure {
  count: number;
  amountCents: number;
}

export interface AgentPromiseFigures {
  agentId: string;
  /** Instalments (a promise is one) due on the day, whatever their status; the amount is what they were for. */
  dueToday: PromiseFigure;
  /** Promises and agreements that became broken on the day; the amount is what was left unpaid. */
  brokenToday: PromiseFigure;
}

/** Returns the figures of `day` (`YYYY-MM-DD`, Bogotá) for every agent with any, in agent id order. */
export async function loadPromiseBoardFigures(sql: SqlConnection, day: string): Promise<AgentPromiseFigures[]> {
  const due = await sql.all<{ agent_id: string; count: number | string; amount: number | string | null }>(
    `SELECT promises.agent_id, COUNT(*) AS count, SUM(promise_instalments.amount_cents) AS amount
     FROM promise_instalments JOIN promises ON promises.id = promise_instalments.promise_id
     WHERE promise_instalments.due_on = ? GROUP BY promises.agent_id`,
    [day],
  );
  // A promise judged broken twice in a day (a late file, then the sweep) counts once.
  const broken = await sql.all<{ agent_id: string; count: number | string; amount: number | string | null }>(
    `SELECT promises.agent_id, COUNT(*) AS count, SUM(promises.amount_cents - promises.paid_cents + promises.excess_cents) AS amount
     FROM promises
     WHERE promises.status = 'broken' AND promises.id IN (
       SELECT promise_id FROM promise_status_changes WHERE changed_on = ? AND to_status = 'broken' AND instalment IS NULL)
     GROUP BY promises.agent_id`,
    [day],
  );

  const figures = new Map<string, AgentPromiseFigures>();
  const entry = (agentId: string) => {
    let figure = figures.get(agentId);
    if (!figure) {
      figure = { agentId, dueToday: { count: 0, amountCents: 0 }, brokenToday: { count: 0, amountCents: 0 } };
      figures.set(agentId, figure);
    }
    return figure;
  };
  for (const row of due) entry(row.agent_id).dueToday = { count: Number(row.count), amountCents: Number(row.amount ?? 0) };
  for (const row of broken) entry(row.agent_id).brokenToday = { count: Number(row.count), amountCents: Number(row.amount ?? 0) };
  return [...figures.values()].sort((a, b) => a.agentId.localeCompare(b.agentId));
}

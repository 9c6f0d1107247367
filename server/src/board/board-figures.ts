/**
 * Today's figures of the board per agent, per team, per queue (the debtors' strategy segment) and
 * in total, from the per-agent-and-queue cells that `readBoardFacts` groups in SQL.
 */
import type { BoardFigures, BoardGroupFigures } from '@gestiona/core/board';
import type { AgentPromiseFigures } from '../promises/board-figures.ts';
import { emptyBoardCell, type BoardCell, type BoardFacts, type WrapUpTotals } from './board-queries.ts';
import { NO_SEGMENT_KEY, NO_SEGMENT_LABEL } from './board-segments.ts';

/** The label of the group of agents without a team. */
export const NO_TEAM_LABEL = 'Sin equipo';

/** Promises of one agent in one queue. */
export interface PromiseTotals {
  promises: number;
  cents: number;
}

/** An agent's figures beyond the counts the board already had. */
export interface AgentLiveFigures {
  debtorsPending: number;
  avgHandleSeconds: number | null;
  avgWrapUpSeconds: number | null;
  untypified: number;
  budgetUsedDebtors: number;
  promisesDue: number;
  promisesDueCents: number;
  promisesBroken: number;
  promisesBrokenCents: number;
}

/** Sums that become a group's figures; means are kept as sums and counts until the end. */
interface Accumulator {
  agents: Set<string>;
  debtorsPending: number;
  /** Distinct debtors worked: one debtor worked by two agents of a team counts once for the team. */
  worked: Set<string>;
  interactions: number;
  rightPartyContacts: number;
  promises: number;
  promisedCents: number;
  handleSeconds: number;
  wrapUpSeconds: number;
  wrapUps: number;
  untypified: number;
  budgetUsedDebtors: number;
  promisesDue: number;
  promisesDueCents: number;
  promisesBroken: number;
  promisesBrokenCents: number;
}

function accumulator(): Accumulator {
  return {
    agents: new Set(),
    debtorsPending: 0,
    worked: new Set(),
    interactions: 0,
    rightPartyContacts: 0,
    promises: 0,
    promisedCents: 0,
    handleSeconds: 0,
    wrapUpSeconds: 0,
    wrapUps: 0,
    untypified: 0,
    budgetUsedDebtors: 0,
    promisesDue: 0,
    promisesDueCents: 0,
    promisesBroken: 0,
    promisesBrokenCents: 0,
  };
}

function addCell(into: Accumulator, cell: BoardCell, promised: PromiseTotals | undefined): void {
  into.agents.add(cell.agentId);
  into.debtorsPending += cell.pending;
  for (const debtorId of cell.workedDebtorIds) into.worked.add(debtorId);
  into.interactions += cell.interactions;
  into.rightPartyContacts += cell.rightPartyContacts;
  into.handleSeconds += cell.handleSeconds;
  into.untypified += cell.untypified;
  into.budgetUsedDebtors += cell.budgetUsed;
  into.promises += promised?.promises ?? 0;
  into.promisedCents += promised?.cents ?? 0;
}

/**
 * Adds the wrap-ups that closed contacts of the cell's queue. Only queues take them from the
 * cells: agents, teams and the total count every finished wrap-up, also one that closed no
 * stored contact, through `addAgentDay`.
 */
function addQueueWrapUps(into: Accumulator, cell: BoardCell): void {
  into.wrapUpSeconds += cell.wrapUpSeconds;
  into.wrapUps += cell.wrapUps;
}

function addAgentDay(into: Accumulator, agentId: string, wrapUps: WrapUpTotals | undefined, promiseDay: AgentPromiseFigures | undefined): void {
  into.agents.add(agentId);
  if (promiseDay) {
    into.promisesDue += promiseDay.dueToday.count;
    into.promisesDueCents += promiseDay.dueToday.amountCents;
    into.promisesBroken += promiseDay.brokenToday.count;
    into.promisesBrokenCents += promiseDay.brokenToday.amountCents;
  }
  if (!wrapUps) return;
  into.wrapUpSeconds += wrapUps.seconds;
  into.wrapUps += wrapUps.count;
}

/** Rounds a mean to whole seconds; null when nothing was measured. */
function mean(seconds: number, count: number): number | null {
  return count > 0 ? Math.max(0, Math.round(seconds / count)) : null;
}

function groupFigures(key: string, label: string, acc: Accumulator): BoardGroupFigures {
  return {
    key,
    label,
    agents: acc.agents.size,
    debtorsPending: acc.debtorsPending,
    debtorsWorked: acc.worked.size,
    interactions: acc.interactions,
    rightPartyContacts: acc.rightPartyContacts,
    promises: acc.promises,
    promisedCents: acc.promisedCents,
    avgHandleSeconds: mean(acc.handleSeconds, acc.interactions),
    avgWrapUpSeconds: mean(acc.wrapUpSeconds, acc.wrapUps),
    untypified: acc.untypified,
    budgetUsedDebtors: acc.budgetUsedDebtors,
    promisesDue: acc.promisesDue,
    promisesDueCents: acc.promisesDueCents,
    promisesBroken: acc.promisesBroken,
    promisesBrokenCents: acc.promisesBrokenCents,
  };
}

const cellKey = (agentId: string, segment: string): string => `${agentId}\u0000${segment}`;

/** Sums promises per agent and queue; `amountOf` reads the amount of one promise row. */
export function promisesByCell(facts: BoardFacts, amountOf: (code: string, fields: string) => number): Map<string, PromiseTotals> {
  const totals = new Map<string, PromiseTotals>();
  for (const row of facts.promises) {
    const key = cellKey(row.agentId, row.segment);
    const total = totals.get(key) ?? { promises: 0, cents: 0 };
    total.promises += 1;
    total.cents += amountOf(row.code, row.fields);
    totals.set(key, total);
  }
  return totals;
}

/**
 * Builds the figures of the agents in `agentIds` (the active agents the board lists): per agent, per
 * team, per queue and in total. Cells of agents outside the list (disabled, or no longer agents) are left out.
 */
export function buildFigures(
  facts: BoardFacts,
  agentIds: readonly string[],
  promised: Map<string, PromiseTotals>,
): { figures: BoardFigures; byAgent: Map<string, AgentLiveFigures> } {
  const listed = new Set(agentIds);
  const perAgent = new Map<string, Accumulator>();
  const perTeam = new Map<string, { label: string; acc: Accumulator }>();
  const perQueue = new Map<string, Accumulator>();
  const total = accumulator();

  const teamOf = (agentId: string): { key: string; label: string } => {
    const team = facts.agentTeams.get(agentId);
    return team ? { key: team.id, label: team.name } : { key: 'none', label: NO_TEAM_LABEL };
  };
  const teamAcc = (agentId: string): Accumulator => {
    const team = teamOf(agentId);
    let entry = perTeam.get(team.key);
    if (!entry) {
      entry = { label: team.label, acc: accumulator() };
      perTeam.set(team.key, entry);
    }
    return entry.acc;
  };
  const agentAcc = (agentId: string): Accumulator => {
    let acc = perAgent.get(agentId);
    if (!acc) {
      acc = accumulator();
      perAgent.set(agentId, acc);
    }
    return acc;
  };

  // Promises can come from a queue where the agent has no other cell: give every promise a cell.
  const cells = new Map(facts.cells.map((cell) => [cellKey(cell.agentId, cell.segment), cell]));
  for (const key of promised.keys()) {
    if (cells.has(key)) continue;
    const [agentId, segment] = key.split('\u0000') as [string, string];
    cells.set(key, emptyBoardCell(agentId, segment));
  }

  for (const agentId of agentIds) {
    const wrapUps = facts.wrapUpsByAgent.get(agentId);
    const promiseDay = facts.promiseDays.get(agentId);
    for (const acc of [agentAcc(agentId), teamAcc(agentId), total]) addAgentDay(acc, agentId, wrapUps, promiseDay);
  }
  for (const [key, cell] of cells) {
    if (!listed.has(cell.agentId)) continue;
    const promisedHere = promised.get(key);
    let queue = perQueue.get(cell.segment);
    if (!queue) {
      queue = accumulator();
      perQueue.set(cell.segment, queue);
    }
    for (const acc of [agentAcc(cell.agentId), teamAcc(cell.agentId), queue, total]) addCell(acc, cell, promisedHere);
    addQueueWrapUps(queue, cell);
  }

  // Promises due or broken today count in the queue of their debtor, like every other queue figure.
  for (const figure of facts.promiseQueueDays) {
    if (!listed.has(figure.agentId)) continue;
    let queue = perQueue.get(figure.segment);
    if (!queue) {
      queue = accumulator();
      perQueue.set(figure.segment, queue);
    }
    queue.promisesDue += figure.dueToday.count;
    queue.promisesDueCents += figure.dueToday.amountCents;
    queue.promisesBroken += figure.brokenToday.count;
    queue.promisesBrokenCents += figure.brokenToday.amountCents;
  }

  const byAgent = new Map<string, AgentLiveFigures>();
  for (const [agentId, acc] of perAgent) {
    const figures = groupFigures(agentId, agentId, acc);
    byAgent.set(agentId, {
      debtorsPending: figures.debtorsPending,
      avgHandleSeconds: figures.avgHandleSeconds,
      avgWrapUpSeconds: figures.avgWrapUpSeconds,
      untypified: figures.untypified,
      budgetUsedDebtors: figures.budgetUsedDebtors,
      promisesDue: figures.promisesDue,
      promisesDueCents: figures.promisesDueCents,
      promisesBroken: figures.promisesBroken,
      promisesBrokenCents: figures.promisesBrokenCents,
    });
  }

  const teams = [...perTeam.entries()]
    .map(([key, entry]) => groupFigures(key, entry.label, entry.acc))
    .sort((a, b) => a.label.localeCompare(b.label, 'es-CO'));
  // The strategy's order, which is the order its rules are tried in; «Sin segmento» last.
  const queueOrder = [...facts.queueSegments, { id: NO_SEGMENT_KEY, name: NO_SEGMENT_LABEL }];
  const queues = queueOrder.flatMap((segment) => {
    const queue = perQueue.get(segment.id);
    return queue ? [groupFigures(segment.id, segment.name, queue)] : [];
  });

  return { figures: { total: groupFigures('all', 'Todos', total), teams, queues }, byAgent };
}

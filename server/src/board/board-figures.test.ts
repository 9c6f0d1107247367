import { describe, expect, it } from 'vitest';
import { buildFigures } from './board-figures.ts';
import type { BoardCell, BoardFacts } from './board-queries.ts';

/** A cell of one agent and queue with the debtors worked today; the other counts are zero. */
function cell(agentId: string, segment: string, worked: string[]): BoardCell {
  return {
    agentId,
    segment,
    leased: worked.length,
    pending: 0,
    budgetUsed: 0,
    interactions: worked.length,
    debtorsWorked: worked.length,
    workedDebtorIds: worked,
    rightPartyContacts: 0,
    handleSeconds: 0,
    untypified: 0,
  };
}

/** The facts `buildFigures` reads: two agents of one team. */
function facts(cells: BoardCell[]): BoardFacts {
  const team = { id: 't1', name: 'Equipo Norte' };
  const partial: Pick<BoardFacts, 'agentTeams' | 'cells' | 'wrapUpsByAgent' | 'promiseDays' | 'promiseQueueDays'> = {
    agentTeams: new Map([
      ['a1', team],
      ['a2', team],
    ]),
    cells,
    wrapUpsByAgent: new Map(),
    promiseDays: new Map(),
    promiseQueueDays: [],
  };
  // The other facts feed the agent rows and alarms, which buildFigures does not read.
  return partial as BoardFacts;
}

describe('buildFigures', () => {
  it('counts a debtor two agents worked once for the team, the queue and the total', () => {
    const { figures, byAgent } = buildFigures(facts([cell('a1', 'media', ['d1', 'd2']), cell('a2', 'media', ['d2', 'd3'])]), ['a1', 'a2'], new Map());
    expect(figures.total.debtorsWorked).toBe(3);
    expect(figures.teams.map((team) => team.debtorsWorked)).toEqual([3]);
    expect(figures.queues.map((queue) => [queue.key, queue.debtorsWorked])).toEqual([['media', 3]]);
    // Each agent still counts every debtor they worked.
    expect(figures.total.interactions).toBe(4);
    expect(byAgent.get('a1')).toBeDefined();
  });

  it('leaves out the cells of agents the board does not list', () => {
    const { figures } = buildFigures(facts([cell('a1', 'media', ['d1']), cell('a2', 'tardia', ['d9'])]), ['a1'], new Map());
    expect(figures.total.debtorsWorked).toBe(1);
    expect(figures.queues.map((queue) => queue.key)).toEqual(['media']);
  });
});

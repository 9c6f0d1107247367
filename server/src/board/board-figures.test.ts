import { describe, expect, it } from 'vitest';
import { buildFigures } from './board-figures.ts';
import type { BoardCell, BoardFacts, WrapUpTotals } from './board-queries.ts';
import { NO_SEGMENT_KEY, type QueueSegment } from './board-segments.ts';

/** A published strategy whose order is not alphabetical, so a test can tell the strategy's order from a sort. */
const SEGMENTS: QueueSegment[] = [
  { id: 'vip', name: 'Clientes VIP' },
  { id: 'media', name: 'Mora media' },
  { id: 'tardia', name: 'Mora tardía' },
];

/** A cell of one agent and queue with the debtors worked today; the other counts are zero. */
function cell(agentId: string, segment: string, worked: string[], wrapUp: WrapUpTotals = { seconds: 0, count: 0 }): BoardCell {
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
    wrapUps: wrapUp.count,
    wrapUpSeconds: wrapUp.seconds,
  };
}

/** The facts `buildFigures` reads: two agents of one team. */
function facts(cells: BoardCell[], wrapUpsByAgent = new Map<string, WrapUpTotals>()): BoardFacts {
  const team = { id: 't1', name: 'Equipo Norte' };
  const partial: Pick<BoardFacts, 'agentTeams' | 'cells' | 'wrapUpsByAgent' | 'promiseDays' | 'promiseQueueDays' | 'queueSegments'> = {
    agentTeams: new Map([
      ['a1', team],
      ['a2', team],
    ]),
    cells,
    wrapUpsByAgent,
    promiseDays: new Map(),
    promiseQueueDays: [],
    queueSegments: SEGMENTS,
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

  it('lists the queues in the strategy order with its names, and «Sin segmento» last', () => {
    const cells = [cell('a1', NO_SEGMENT_KEY, ['d0']), cell('a1', 'tardia', ['d1']), cell('a2', 'vip', ['d2']), cell('a2', 'media', ['d3'])];
    const { figures } = buildFigures(facts(cells), ['a1', 'a2'], new Map());
    expect(figures.queues.map((queue) => [queue.key, queue.label])).toEqual([
      ['vip', 'Clientes VIP'],
      ['media', 'Mora media'],
      ['tardia', 'Mora tardía'],
      [NO_SEGMENT_KEY, 'Sin segmento'],
    ]);
  });

  it('leaves out the segments nobody worked or holds today', () => {
    const { figures } = buildFigures(facts([cell('a1', 'tardia', ['d1'])]), ['a1'], new Map());
    expect(figures.queues.map((queue) => queue.key)).toEqual(['tardia']);
  });

  it('averages wrap-ups per queue from the contacts they closed, and per agent from every wrap-up', () => {
    const cells = [
      cell('a1', 'vip', ['d1'], { seconds: 30, count: 1 }),
      cell('a2', 'vip', ['d2'], { seconds: 90, count: 1 }),
      cell('a1', 'media', ['d3'], { seconds: 200, count: 2 }),
    ];
    // a1 also finished a wrap-up of 10 s whose contact the server has not stored: no queue has it.
    const byAgent = new Map([
      ['a1', { seconds: 240, count: 4 }],
      ['a2', { seconds: 90, count: 1 }],
    ]);
    const { figures } = buildFigures(facts(cells, byAgent), ['a1', 'a2'], new Map());
    expect(figures.queues.map((queue) => [queue.key, queue.avgWrapUpSeconds])).toEqual([
      ['vip', 60],
      ['media', 100],
    ]);
    expect(figures.total.avgWrapUpSeconds).toBe(66);
    expect(figures.teams[0]!.avgWrapUpSeconds).toBe(66);
  });

  it('shows no wrap-up time for a queue whose contacts closed no wrap-up', () => {
    const { figures } = buildFigures(facts([cell('a1', 'vip', ['d1'])]), ['a1'], new Map());
    expect(figures.queues[0]!.avgWrapUpSeconds).toBeNull();
  });
});

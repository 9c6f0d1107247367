import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAssignments } from './plan.ts';

describe('planAssignments', () => {
  it('deals debtors round-robin in priority order when loads are equal', () => {
    const plan = planAssignments(['d1', 'd2', 'd3', 'd4', 'd5'], [
      { agentId: 'a', openLeases: 0 },
      { agentId: 'b', openLeases: 0 },
      { agentId: 'c', openLeases: 0 },
    ]);
    expect(plan.map((assignment) => assignment.agentId)).toEqual(['a', 'b', 'c', 'a', 'b']);
  });

  it('fills the least loaded agent first', () => {
    const plan = planAssignments(['d1', 'd2', 'd3', 'd4'], [
      { agentId: 'a', openLeases: 3 },
      { agentId: 'b', openLeases: 0 },
      { agentId: 'c', openLeases: 1 },
    ]);
    // b goes from 0 to 1 first. Then b and c tie at 1, and c is next in turn. Then b, and c again at the tie at 2.
    expect(plan.map((assignment) => assignment.agentId)).toEqual(['b', 'c', 'b', 'c']);
  });

  it('assigns nothing without agents', () => {
    expect(planAssignments(['d1'], [])).toEqual([]);
  });

  it('leaves loads at most one apart when starting equal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 12 }), (debtors, agents) => {
        const plan = planAssignments(
          Array.from({ length: debtors }, (_, index) => `d${index}`),
          Array.from({ length: agents }, (_, index) => ({ agentId: `a${index}`, openLeases: 0 })),
        );
        const loads = new Map<string, number>();
        for (const { agentId } of plan) loads.set(agentId, (loads.get(agentId) ?? 0) + 1);
        const values = Array.from({ length: agents }, (_, index) => loads.get(`a${index}`) ?? 0);
        expect(plan).toHaveLength(debtors);
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

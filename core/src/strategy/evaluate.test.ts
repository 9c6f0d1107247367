import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRODUCTS } from '../domain.ts';
import { segmentDebtor } from '../segmentation.ts';
import { compileStrategySet, conditionHolds, debtorVariables, evaluateDebtor, pickTreatment, ruleHolds, stableHash, unknownVariableNames, type DebtorFacts } from './evaluate.ts';
import { parseStrategySet, type Condition, type StrategySet } from './schema.ts';
import { PRODUCT_IDS, PROMISE_STATUSES, VARIABLES } from './variables.ts';

const defaultSet = parseStrategySet(JSON.parse(readFileSync(new URL('../../../resources/strategy.json', import.meta.url), 'utf8')));
const TODAY = '2026-12-05';

function facts(overrides: Partial<DebtorFacts> = {}, obligations: Partial<DebtorFacts['obligations'][number]>[] = [{}]): DebtorFacts {
  return {
    id: 'CC-1',
    city: 'Bogotá',
    score: null,
    promiseStatus: 'none',
    disputeOpen: false,
    deceased: false,
    lastPaymentOn: null,
    paymentsLast90Days: 0,
    obligations: obligations.map((obligation) => ({
      product: 'credit-card',
      balanceCents: 1_000_000_00,
      overdueCents: 0,
      daysPastDue: 0,
      writtenOff: false,
      ...obligation,
    })),
    ...overrides,
  };
}

const obligationArb = fc.record({
  product: fc.constantFrom(...PRODUCTS),
  balanceCents: fc.integer({ min: 0, max: 500_000_000_00 }),
  overdueCents: fc.integer({ min: 0, max: 50_000_000_00 }),
  daysPastDue: fc.integer({ min: -60, max: 2_000 }),
  writtenOff: fc.boolean(),
  originationChannel: fc.constantFrom(null, 'digital', 'oficina', 'fuerza de ventas'),
  originationCity: fc.constantFrom(null, 'Bogotá', 'Medellín', 'Cali'),
  originationDate: fc.constantFrom(null, '2020-01-15', '2024-06-30', '2026-11-01'),
  originationAmountCents: fc.option(fc.integer({ min: 0, max: 100_000_000_00 }), { nil: null }),
});

const debtorArb: fc.Arbitrary<DebtorFacts> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 20 }),
  city: fc.constantFrom(null, 'Bogotá', 'BOGOTA', 'Cali', 'Pasto'),
  score: fc.option(fc.integer({ min: 150, max: 950 }), { nil: null }),
  obligations: fc.array(obligationArb, { minLength: 1, maxLength: 5 }),
  promiseStatus: fc.constantFrom(...PROMISE_STATUSES),
  disputeOpen: fc.boolean(),
  deceased: fc.boolean(),
  lastPaymentOn: fc.constantFrom(null, '2026-12-01', '2026-06-01'),
  paymentsLast90Days: fc.integer({ min: 0, max: 10 }),
});

describe('debtorVariables', () => {
  it('lists the products of the domain', () => {
    expect([...PRODUCT_IDS].sort()).toEqual([...PRODUCTS].sort());
  });

  it('takes the worst days past due, sums balances per product and reads payments and origination', () => {
    const variables = debtorVariables(
      facts({ score: 612, lastPaymentOn: '2026-11-25', paymentsLast90Days: 2 }, [
        { daysPastDue: 12, balanceCents: 300_000_00, product: 'vehicle', originationDate: '2023-01-10', originationChannel: 'oficina', originationAmountCents: 50_000_000_00 },
        { daysPastDue: 95, balanceCents: 200_000_00, overdueCents: 80_000_00, product: 'credit-card', originationDate: '2025-12-05', originationChannel: 'digital', originationCity: 'Cali', originationAmountCents: 4_000_000_00 },
        { daysPastDue: -3, balanceCents: 100_000_00, product: 'vehicle' },
      ]),
      TODAY,
    );
    expect(variables).toMatchObject({
      daysPastDue: 95,
      dpdBucket: '91-120',
      writtenOff: false,
      totalBalanceCop: 600_000,
      overdueCop: 80_000,
      vehicleBalanceCop: 400_000,
      creditCardBalanceCop: 200_000,
      mortgageBalanceCop: 0,
      products: ['credit-card', 'vehicle'],
      productCount: 3,
      score: 612,
      originationChannel: 'digital',
      originationCity: 'Cali',
      originationDate: '2025-12-05',
      originationAmountCop: 4_000_000,
      daysSinceOrigination: 365,
      daysSinceLastPayment: 10,
      paymentsLast90Days: 2,
    });
  });

  it('names only variables the editor knows, and every variable the editor knows', () => {
    fc.assert(
      fc.property(debtorArb, (debtor) => {
        const variables = debtorVariables(debtor, TODAY);
        expect(unknownVariableNames(variables)).toEqual([]);
        expect(Object.keys(variables).sort()).toEqual(VARIABLES.map((variable) => variable.name).sort());
      }),
      { numRuns: 50 },
    );
  });
});

describe('conditionHolds', () => {
  const variables = debtorVariables(facts({ city: 'Bogotá D.C.', score: null }, [{ daysPastDue: 45, product: 'vehicle' }]), TODAY);
  const cases: [Condition, boolean][] = [
    [{ variable: 'daysPastDue', op: 'eq', value: 45 }, true],
    [{ variable: 'daysPastDue', op: 'neq', value: 45 }, false],
    [{ variable: 'daysPastDue', op: 'lt', value: 45 }, false],
    [{ variable: 'daysPastDue', op: 'lte', value: 45 }, true],
    [{ variable: 'daysPastDue', op: 'gt', value: 44 }, true],
    [{ variable: 'daysPastDue', op: 'gte', value: 46 }, false],
    [{ variable: 'daysPastDue', op: 'between', value: [31, 60] }, true],
    [{ variable: 'daysPastDue', op: 'between', value: [46, 60] }, false],
    [{ variable: 'daysPastDue', op: 'in', value: [1, 45] }, true],
    [{ variable: 'daysPastDue', op: 'notIn', value: [1, 45] }, false],
    [{ variable: 'dpdBucket', op: 'eq', value: '31-60' }, true],
    [{ variable: 'city', op: 'eq', value: 'BOGOTA D.C.' }, true],
    [{ variable: 'city', op: 'in', value: ['Cali', 'bogota d.c.'] }, true],
    [{ variable: 'products', op: 'includes', value: ['vehicle', 'mortgage'] }, true],
    [{ variable: 'products', op: 'includes', value: 'mortgage' }, false],
    [{ variable: 'products', op: 'excludes', value: ['mortgage'] }, true],
    [{ variable: 'score', op: 'isNull' }, true],
    [{ variable: 'score', op: 'isNotNull' }, false],
    [{ variable: 'score', op: 'gt', value: 500 }, false],
    [{ variable: 'score', op: 'lte', value: 500 }, false],
    [{ variable: 'score', op: 'neq', value: 500 }, true],
    [{ variable: 'score', op: 'notIn', value: [500] }, true],
    [{ variable: 'writtenOff', op: 'eq', value: false }, true],
    [{ variable: 'promiseStatus', op: 'eq', value: 'none' }, true],
    [{ variable: 'originationDate', op: 'isNull' }, true],
  ];
  it.each(cases)('%j → %s', (condition, expected) => {
    expect(conditionHolds(condition, variables)).toBe(expected);
  });

  it('reads groups: all, any, nested, and the empty catch-all', () => {
    expect(ruleHolds({ all: [] }, variables)).toBe(true);
    expect(ruleHolds({ any: [{ variable: 'daysPastDue', op: 'gt', value: 90 }, { variable: 'city', op: 'eq', value: 'bogota d.c.' }] }, variables)).toBe(true);
    expect(ruleHolds({ all: [{ variable: 'daysPastDue', op: 'gt', value: 30 }, { any: [{ variable: 'score', op: 'gt', value: 1 }] }] }, variables)).toBe(false);
  });
});

describe('default strategy (resources/strategy.json)', () => {
  const compiled = compileStrategySet(defaultSet);

  it('reproduces the factory segmentation: same segment, priority and script for any debtor', () => {
    fc.assert(
      fc.property(debtorArb, (debtor) => {
        const assignment = evaluateDebtor(compiled, debtor, TODAY);
        const factory = segmentDebtor(debtor.obligations);
        expect(assignment.segmentId).toBe(factory.segment);
        expect(assignment.priority).toBe(factory.priority);
        expect(assignment.scriptId).toBe(factory.scriptId);
        expect(assignment.treatmentId).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});

/** A set with arbitrary rules over several variables and a final catch-all. */
const conditionArb: fc.Arbitrary<Condition> = fc.oneof<fc.Arbitrary<Condition>[]>(
  fc.record({ variable: fc.constant('daysPastDue'), op: fc.constantFrom('lt' as const, 'gte' as const, 'eq' as const), value: fc.integer({ min: -10, max: 400 }) }),
  fc.record({ variable: fc.constant('score'), op: fc.constantFrom('gt' as const, 'lte' as const), value: fc.integer({ min: 100, max: 999 }) }),
  fc.record({ variable: fc.constant('city'), op: fc.constant('in' as const), value: fc.constant(['Cali', 'Bogotá']) }),
  fc.record({ variable: fc.constant('promiseStatus'), op: fc.constant('eq' as const), value: fc.constantFrom(...PROMISE_STATUSES) }),
  fc.record({ variable: fc.constant('disputeOpen'), op: fc.constant('eq' as const), value: fc.boolean() }),
);

const setArb: fc.Arbitrary<StrategySet> = fc.array(fc.array(conditionArb, { minLength: 1, maxLength: 3 }), { minLength: 0, maxLength: 6 }).map((rules) =>
  parseStrategySet({
    version: 'prop',
    segments: [
      ...rules.map((conditions, index) => ({
        id: `s${index}`,
        name: `Segmento ${index}`,
        rule: index % 2 === 0 ? { all: conditions } : { any: conditions },
        strategy: { priority: 'daysPastDue + totalBalanceCop / 1000', scriptId: 'guion-media', timeline: [] },
      })),
      { id: 'resto', name: 'Resto', rule: { all: [] }, strategy: { priority: '0', scriptId: 'guion-media', timeline: [] } },
    ],
  }),
);

describe('segmentation property', () => {
  it('puts every debtor in exactly one segment: the first whose rule holds', () => {
    fc.assert(
      fc.property(setArb, debtorArb, (set, debtor) => {
        const compiled = compileStrategySet(set);
        const variables = debtorVariables(debtor, TODAY);
        const matching = set.segments.filter((segment) => ruleHolds(segment.rule, variables));
        expect(matching.length).toBeGreaterThanOrEqual(1);
        const assignment = evaluateDebtor(compiled, debtor, TODAY);
        expect(assignment.segmentId).toBe(matching[0]!.id);
        expect(set.segments.filter((segment) => segment.id === assignment.segmentId)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('champion/challenger', () => {
  const treatments = [
    { id: 'campeon', percent: 70 },
    { id: 'retador-a', percent: 20 },
    { id: 'retador-b', percent: 10 },
  ];
  const ids = Array.from({ length: 10_000 }, (_unused, index) => `CC-${1_000_000 + index * 7}`);

  it('splits 10,000 debtors within ±3 points of the percentages', () => {
    const counts = new Map<string, number>();
    for (const id of ids) {
      const picked = pickTreatment('media', id, treatments)!;
      counts.set(picked.id, (counts.get(picked.id) ?? 0) + 1);
    }
    for (const treatment of treatments) {
      const share = ((counts.get(treatment.id) ?? 0) / ids.length) * 100;
      expect(Math.abs(share - treatment.percent), `${treatment.id}: ${share}%`).toBeLessThanOrEqual(3);
    }
  });

  it('gives the same debtor the same treatment every time for the same split', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('media', 'temprana'), (debtorId, segmentId) => {
        expect(pickTreatment(segmentId, debtorId, treatments)).toBe(pickTreatment(segmentId, debtorId, [...treatments]));
      }),
    );
    expect(stableHash('media\u0000CC-1')).toBe(stableHash('media\u0000CC-1'));
  });

  it('hashes to fixed values, so a split survives restarts and platforms', () => {
    expect([stableHash(''), stableHash('a'), stableHash('media\u0000CC-1020304050')]).toMatchInlineSnapshot(`
      [
        2872998923,
        444641715,
        4278062483,
      ]
    `);
  });

  it('applies the treatment overrides of the script, timeline and priority', () => {
    const set = parseStrategySet({
      version: 'cc-1',
      segments: [
        {
          id: 'todos',
          name: 'Todos',
          rule: { all: [] },
          strategy: {
            priority: '1',
            scriptId: 'guion-media',
            timeline: [],
            treatments: [
              { id: 'campeon', name: 'Campeón', role: 'champion', percent: 50 },
              { id: 'retador', name: 'Retador', role: 'challenger', percent: 50, priority: '2', scriptId: 'guion-tardia', timeline: [{ id: 'carta', channel: 'letter', anchor: 'assignment', dayOffset: 0, stopOn: [] }] },
            ],
          },
        },
      ],
    });
    const compiled = compileStrategySet(set);
    const seen = new Set<string>();
    for (const id of ids.slice(0, 200)) {
      const assignment = evaluateDebtor(compiled, facts({ id }), TODAY);
      seen.add(assignment.treatmentId!);
      if (assignment.treatmentId === 'retador') expect([assignment.priority, assignment.scriptId, assignment.timeline.length]).toEqual([2, 'guion-tardia', 1]);
      else expect([assignment.priority, assignment.scriptId, assignment.timeline.length]).toEqual([1, 'guion-media', 0]);
    }
    expect([...seen].sort()).toEqual(['campeon', 'retador']);
  });
});

describe('priority formulas', () => {
  it('gives 0 when the formula has no number for the debtor (score missing)', () => {
    const set = parseStrategySet({
      version: 'f',
      segments: [{ id: 'todos', name: 'Todos', rule: { all: [] }, strategy: { priority: 'score * 2 + (if disputeOpen then 5 else 0)', scriptId: 'guion-media', timeline: [] } }],
    });
    const compiled = compileStrategySet(set);
    expect(evaluateDebtor(compiled, facts({ score: 600, disputeOpen: true }), TODAY).priority).toBe(1205);
    expect(evaluateDebtor(compiled, facts({ score: null }), TODAY).priority).toBe(0);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEGMENTS, type DefaultSegment as Segment } from './domain.ts';
import { SCRIPT_IDS, SEGMENT_RULES, priorityFor, segmentDebtor, segmentFor } from './segmentation.ts';

const obligation = (daysPastDue: number, writtenOff = false, balanceCents = 100_000_00) => ({
  daysPastDue,
  writtenOff,
  balanceCents,
});

describe('segmentFor', () => {
  const cases: [number, boolean, Segment][] = [
    [-30, false, 'preventiva'],
    [-1, false, 'preventiva'],
    [0, false, 'preventiva'],
    [1, false, 'temprana'],
    [30, false, 'temprana'],
    [31, false, 'media'],
    [90, false, 'media'],
    [91, false, 'tardia'],
    [180, false, 'tardia'],
    [181, false, 'castigada'],
    [2000, false, 'castigada'],
    [-5, true, 'castigada'],
    [0, true, 'castigada'],
    [45, true, 'castigada'],
  ];

  it.each(cases)('%i days past due, written off %s → %s', (days, writtenOff, expected) => {
    expect(segmentFor(days, writtenOff)).toBe(expected);
  });

  it('puts every debtor in exactly one segment', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 100_000 }), fc.boolean(), (days, writtenOff) => {
        const matching = SEGMENT_RULES.filter((rule) => rule.matches(days, writtenOff));
        expect(matching).toHaveLength(1);
        expect(segmentFor(days, writtenOff)).toBe(matching[0]!.segment);
      }),
    );
  });

  it('has one rule and one script per segment', () => {
    expect(new Set(SEGMENT_RULES.map((rule) => rule.segment))).toEqual(new Set(SEGMENTS));
    for (const segment of SEGMENTS) expect(SCRIPT_IDS[segment]).toBe(`guion-${segment}`);
  });
});

describe('segmentDebtor', () => {
  it('uses the maximum days past due over the obligations', () => {
    const result = segmentDebtor([obligation(5), obligation(95), obligation(-10)]);
    expect(result.segment).toBe('tardia');
    expect(result.maxDaysPastDue).toBe(95);
  });

  it('makes a debtor castigada when any obligation is written off', () => {
    const result = segmentDebtor([obligation(0), obligation(10, true)]);
    expect(result.segment).toBe('castigada');
    expect(result.scriptId).toBe('guion-castigada');
  });

  it('sums balances over the obligations', () => {
    const result = segmentDebtor([obligation(10, false, 150_00), obligation(20, false, 250_00)]);
    expect(result.totalBalanceCents).toBe(400_00);
    expect(result.priority).toBe(priorityFor('temprana', 400_00));
  });

  it('rejects a debtor without obligations', () => {
    expect(() => segmentDebtor([])).toThrow(/at least one obligation/);
  });
});

describe('priorityFor', () => {
  const cases: [Segment, number, number][] = [
    ['media', 0, 4000],
    ['temprana', 0, 3000],
    ['tardia', 0, 2000],
    ['castigada', 0, 1000],
    ['preventiva', 0, 0],
    // 1.000.000 pesos: log10(1_000_001) × 100 rounds to 600.
    ['media', 1_000_000_00, 4600],
    ['preventiva', 1_000_000_00, 600],
  ];

  it.each(cases)('%s with %i centavos → %i', (segment, balance, expected) => {
    expect(priorityFor(segment, balance)).toBe(expected);
  });

  it('grows with the balance inside a segment', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEGMENTS),
        fc.integer({ min: 0, max: 1e13 }),
        fc.integer({ min: 0, max: 1e13 }),
        (segment, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(priorityFor(segment, low)).toBeLessThanOrEqual(priorityFor(segment, high));
        },
      ),
    );
  });

  it('never lets the balance outrank a heavier segment', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 1e6 }), (big, small) => {
        expect(priorityFor('castigada', big)).toBeLessThan(priorityFor('tardia', small));
        expect(priorityFor('tardia', big)).toBeLessThan(priorityFor('temprana', small));
        expect(priorityFor('temprana', big)).toBeLessThan(priorityFor('media', small));
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import { bogotaIso } from './bogota-iso.ts';

describe('bogotaIso', () => {
  it('writes every instant from 1994 on as toBogotaIso does, from a Date, a number or UTC text', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1994, 0, 1, 5), max: Date.UTC(2200, 0, 1) }), fc.boolean(), (ms, whole) => {
        const at = whole ? ms - (ms % 1000) : ms;
        const expected = toBogotaIso(new Date(at));
        expect(bogotaIso(new Date(at))).toBe(expected);
        expect(bogotaIso(at)).toBe(expected);
        expect(bogotaIso(new Date(at).toISOString())).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['2026-12-07T15:00:00.000Z', '2026-12-07T10:00:00-05:00'],
    ['2026-12-07T10:00:00-05:00', '2026-12-07T10:00:00-05:00'],
    ['2026-12-07T10:00:00.250+01:00', '2026-12-07T04:00:00.250-05:00'],
    ['2026-12-07T00:30:00.000Z', '2026-12-06T19:30:00-05:00'],
    // Before 1994 Bogotá kept daylight saving time one year: left to luxon.
    ['1992-06-01T12:00:00.000Z', toBogotaIso('1992-06-01T12:00:00.000Z')],
    // Luxon reads forms that Date.parse does not read the same way.
    ['2026-12-07T10:00', toBogotaIso('2026-12-07T10:00')],
  ])('%s → %s', (input, output) => {
    expect(bogotaIso(input)).toBe(output);
  });
});

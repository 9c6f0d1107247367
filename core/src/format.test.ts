import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BOGOTA_ZONE, formatCop, formatDate, toBogotaIso, toUtcIso } from './format.ts';

describe('format', () => {
  it('formats COP without decimals', () => {
    expect(formatCop(123_456_789)).toBe('$\u00a01.234.568');
  });
  it('formats dates as dd/mm/aaaa in Bogotá', () => {
    expect(formatDate('2026-12-05T03:00:00Z')).toBe('04/12/2026');
  });
  it('keeps a bare date on its Bogotá day', () => {
    expect(formatDate('2024-05-10')).toBe('10/05/2024');
  });
  it('converts instants to -05:00', () => {
    expect(toBogotaIso('2026-12-05T03:00:00Z')).toBe('2026-12-04T22:00:00-05:00');
  });
});

describe('toBogotaIso fast path', () => {
  const viaLuxon = (instant: string | number): string | null =>
    (typeof instant === 'string' ? DateTime.fromISO(instant, { setZone: true }) : DateTime.fromMillis(instant)).setZone(BOGOTA_ZONE).toISO({ suppressMilliseconds: true });

  it.each([
    ['2026-12-05T03:00:00.120Z', '2026-12-04T22:00:00.120-05:00'],
    ['2026-12-05T03:00:00.5+09:00', '2026-12-04T13:00:00.500-05:00'],
    // Colombia kept -04:00 from May 1992 to February 1993; the last second before -05:00 came back.
    ['1992-12-01T12:00:00Z', '1992-12-01T08:00:00-04:00'],
    ['1993-02-07T03:59:59Z', '1993-02-06T23:59:59-04:00'],
    ['1993-02-07T04:00:00Z', '1993-02-06T23:00:00-05:00'],
  ])('formats %s as %s', (input, expected) => {
    expect(toBogotaIso(input)).toBe(expected);
    expect(toBogotaIso(input)).toBe(viaLuxon(input));
  });

  it('gives the same text as luxon for any instant from 1880 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1880, 0, 1), max: Date.UTC(2200, 0, 1) }), (millis) => {
        expect(toBogotaIso(millis)).toBe(viaLuxon(millis));
        expect(toBogotaIso(new Date(millis))).toBe(viaLuxon(millis));
        expect(toBogotaIso(new Date(millis).toISOString())).toBe(viaLuxon(new Date(millis).toISOString()));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the same text as luxon for ISO text with any digits, offsets and fractions', () => {
    const digits = (count: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: count, maxLength: count });
    const text = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.option(digits(3)), fc.constantFrom('Z', '+09:00', '-05:00', '+00:00', '-14:00', '+05:45'))
      .map(([y, mo, d, h, mi, s, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === null ? '' : `.${frac}`}${zone}`);
    fc.assert(
      fc.property(text, (input) => {
        const expected = viaLuxon(input);
        // luxon rejects impossible dates; the function then returns what luxon returns.
        expect(toBogotaIso(input)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('toUtcIso', () => {
  const viaDate = (input: string): string => new Date(input).toISOString();
  const digits = (count: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: count, maxLength: count });
  const outcome = (convert: (input: string) => string, input: string): string => {
    try {
      return convert(input);
    } catch (error) {
      return `throws ${(error as Error).name}`;
    }
  };

  it.each([
    ['2026-12-07T08:00:00-05:00', '2026-12-07T13:00:00.000Z'],
    ['2026-12-07T08:00:00.5+09:30', '2026-12-06T22:30:00.500Z'],
    ['2028-02-29T23:59:59.999Z', '2028-02-29T23:59:59.999Z'],
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00.000Z'],
  ])('converts %s to %s', (input, expected) => {
    expect(toUtcIso(input)).toBe(expected);
    expect(toUtcIso(input)).toBe(viaDate(input));
  });

  it('converts like Date for any digits, impossible dates and offsets included', () => {
    const text = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.option(digits(3)), fc.option(fc.tuple(fc.constantFrom('+', '-'), digits(2), digits(2))))
      .map(([y, mo, d, h, mi, s, frac, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === null ? '' : `.${frac}`}${zone === null ? 'Z' : zone.join('').replace(/(\d{2})$/, ':$1')}`);
    fc.assert(
      fc.property(text, (input) => {
        expect(outcome(toUtcIso, input)).toBe(outcome(viaDate, input));
      }),
      { numRuns: 20000 },
    );
  });

  it('converts every instant of 1900 to 2100 written in any whole-minute offset like Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (millis, offset) => {
        const local = new Date(millis + offset * 60_000).toISOString().slice(0, -1);
        const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
        expect(toUtcIso(`${local}${zone}`)).toBe(new Date(millis).toISOString());
      }),
      { numRuns: 5000 },
    );
  });
});

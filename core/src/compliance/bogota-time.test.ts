import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  BOGOTA_UTC_OFFSET_MINUTES,
  bogotaDayOf,
  bogotaDayStart,
  formatBogotaDateTime,
  formatBogotaInstant,
  parseInstant,
} from './bogota-time.ts';
import { civilFromDayNumber, dayNumberFromCivil, formatDayNumber, parseIsoDate, weekdayOf } from './civil-date.ts';

describe('Bogotá offset', () => {
  it('matches the IANA zone every month from 1994 to 2100', () => {
    for (let year = 1994; year <= 2100; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        const offset = DateTime.fromObject({ year, month, day: 15 }, { zone: 'America/Bogota' }).offset;
        expect(offset, `${year}-${month}`).toBe(BOGOTA_UTC_OFFSET_MINUTES);
      }
    }
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-12-07T07:00:00-05:00', Date.UTC(2026, 11, 7, 12)],
    ['2026-12-07T12:00:00Z', Date.UTC(2026, 11, 7, 12)],
    ['2026-12-07T21:00:00+09:00', Date.UTC(2026, 11, 7, 12)],
    ['2026-12-07T12:00:00.5Z', Date.UTC(2026, 11, 7, 12, 0, 0, 500)],
    ['2026-12-07T12:00:00.123456789Z', Date.UTC(2026, 11, 7, 12, 0, 0, 123)],
    ['2024-02-29T00:00:00+14:00', Date.UTC(2024, 1, 28, 10)],
    ['2026-01-01T00:00:00-23:59', Date.UTC(2026, 0, 1, 23, 59)],
  ])('reads %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it.each([
    '2026-12-07T07:00:00',
    '2026-12-07T07:00Z',
    '2026-12-07 07:00:00Z',
    '2026-02-30T07:00:00Z',
    '2026-13-01T07:00:00Z',
    '2026-12-07T24:00:00Z',
    '2026-12-07T07:60:00Z',
    '2026-12-07T07:00:60Z',
    '2026-12-07T07:00:00.Z',
    '2026-12-07T07:00:00+0500',
    '2026-12-07T07:00:00+05',
    '2026-12-07T07:00:00+24:00',
    '2026-12-07T07:00:00z',
    '2026-12-07T07:00:00Zjunk',
    'not a date at all, clearly',
    '',
  ])('rejects %s', (text) => {
    expect(parseInstant(text)).toBeNaN();
  });

  it('agrees with Date.parse on valid instants', () => {
    const offsets = fc.constantFrom('Z', '-05:00', '+09:00', '+05:30', '-00:00', '+14:00', '-12:00');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2200, 0, 1) }), offsets, fc.boolean(), (epochMs, offset, withMillis) => {
        const text = isoWithOffset(epochMs, offset, withMillis);
        const expected = withMillis ? epochMs : epochMs - (epochMs % 1000);
        expect(parseInstant(text)).toBe(expected);
        expect(Date.parse(text)).toBe(expected);
      }),
    );
  });
});

describe('formatBogotaInstant', () => {
  it.each([
    [Date.UTC(2026, 11, 7, 12), '2026-12-07T07:00:00-05:00'],
    [Date.UTC(2026, 11, 7, 4, 59, 59, 999), '2026-12-06T23:59:59.999-05:00'],
    [Date.UTC(2026, 0, 1, 4), '2025-12-31T23:00:00-05:00'],
  ])('formats %i as %s', (epochMs, expected) => {
    expect(formatBogotaInstant(epochMs)).toBe(expected);
  });

  it('round-trips through parseInstant and matches luxon', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1994, 0, 1), max: Date.UTC(2200, 0, 1) }), (epochMs) => {
        const text = formatBogotaInstant(epochMs);
        expect(parseInstant(text)).toBe(epochMs);
        const viaLuxon = DateTime.fromMillis(epochMs, { zone: 'America/Bogota' }).toISO({ suppressMilliseconds: true });
        expect(text).toBe(viaLuxon);
      }),
    );
  });

  it('formats the agent view as dd/mm/aaaa HH:mm', () => {
    expect(formatBogotaDateTime(Date.UTC(2026, 11, 4, 19, 5))).toBe('04/12/2026 14:05');
  });
});

describe('Bogotá days', () => {
  it('starts the day at local midnight', () => {
    const day = dayNumberFromCivil(2026, 12, 7);
    expect(bogotaDayStart(day)).toBe(Date.UTC(2026, 11, 7, 5));
    expect(bogotaDayOf(Date.UTC(2026, 11, 7, 5))).toBe(day);
    expect(bogotaDayOf(Date.UTC(2026, 11, 7, 4, 59, 59, 999))).toBe(day - 1);
  });

  it('matches luxon for any instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1994, 0, 1), max: Date.UTC(2200, 0, 1) }), (epochMs) => {
        const local = DateTime.fromMillis(epochMs, { zone: 'America/Bogota' });
        const dayNumber = bogotaDayOf(epochMs);
        expect(formatDayNumber(dayNumber)).toBe(local.toISODate());
        expect(weekdayOf(dayNumber)).toBe(local.weekday);
      }),
    );
  });
});

describe('civil dates', () => {
  it('converts day numbers both ways like Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (dayNumber) => {
        const civil = civilFromDayNumber(dayNumber);
        const viaDate = new Date(dayNumber * 86_400_000);
        expect(civil).toEqual({ year: viaDate.getUTCFullYear(), month: viaDate.getUTCMonth() + 1, day: viaDate.getUTCDate() });
        expect(dayNumberFromCivil(civil.year, civil.month, civil.day)).toBe(dayNumber);
      }),
    );
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2000-02-29', true],
    ['2100-02-29', false],
    ['2026-04-31', false],
    ['2026-4-30', false],
    ['0000-01-01', false],
  ])('parseIsoDate("%s") accepts: %s', (text, valid) => {
    expect(parseIsoDate(text) !== null).toBe(valid);
  });
});

function isoWithOffset(epochMs: number, offset: string, withMillis: boolean): string {
  const offsetMinutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const shifted = new Date(epochMs + offsetMinutes * 60_000).toISOString();
  const body = withMillis ? shifted.slice(0, 23) : shifted.slice(0, 19);
  return `${body}${offset}`;
}

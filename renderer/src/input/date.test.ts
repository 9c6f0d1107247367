import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateInput, parseDateInput, parseDateTimeInput } from './date.ts';

describe('parseDateInput', () => {
  it.each([
    ['05/12/2026', '2026-12-05'],
    ['5/1/2027', '2027-01-05'],
    [' 31/12/2026 ', '2026-12-31'],
    ['29/02/2028', '2028-02-29'],
    ['29/02/2000', '2000-02-29'],
  ])('reads %s as %s', (input, iso) => {
    expect(parseDateInput(input)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['empty', ''],
    ['ISO order', '2026-12-05'],
    ['two-digit year', '05/12/26'],
    ['month 13', '05/13/2026'],
    ['day 0', '00/12/2026'],
    ['31 April', '31/04/2026'],
    ['29 February in a common year', '29/02/2027'],
    ['29 February 1900', '29/02/1900'],
    ['dashes', '05-12-2026'],
  ])('rejects %s', (_case, input) => {
    expect(parseDateInput(input).ok).toBe(false);
  });

  it('reads back every calendar date it formats', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString().slice(0, 10);
        expect(parseDateInput(formatDateInput(iso))).toEqual({ ok: true, value: iso });
      }),
    );
  });
});

describe('parseDateTimeInput', () => {
  it.each([
    ['05/12/2026 15:30', '2026-12-05T15:30:00-05:00'],
    ['5/12/2026 7:05', '2026-12-05T07:05:00-05:00'],
    ['05/12/2026   00:00', '2026-12-05T00:00:00-05:00'],
    ['31/12/2026 23:59', '2026-12-31T23:59:00-05:00'],
  ])('reads %s as %s', (input, iso) => {
    expect(parseDateTimeInput(input)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['empty', ''],
    ['date only', '05/12/2026'],
    ['hour 24', '05/12/2026 24:00'],
    ['minute 60', '05/12/2026 10:60'],
    ['impossible date', '31/02/2026 10:00'],
    ['seconds', '05/12/2026 10:00:00'],
  ])('rejects %s', (_case, input) => {
    expect(parseDateTimeInput(input).ok).toBe(false);
  });

  it('keeps the date error for an impossible date', () => {
    expect(parseDateTimeInput('31/02/2026 10:00')).toEqual({ ok: false, message: 'La fecha 31/02/2026 no existe en el calendario.' });
  });
});

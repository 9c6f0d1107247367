import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { easterSunday, holidaysOf, isHoliday } from './calendar.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS, type RulePack } from './types.ts';

/**
 * Official lists as published for each year, with the Monday moves of Ley 51 de 1983. From 2026 they
 * include the 9 July holiday of Ley 2578 de 2026, observed on 13 July 2026 and 12 July 2027. They are
 * typed in by hand, not generated, so that a wrong rule fails here.
 */
const OFFICIAL_HOLIDAYS: Record<number, [string, string][]> = {
  2025: [
    ['2025-01-01', 'Año Nuevo'],
    ['2025-01-06', 'Día de los Reyes Magos'],
    ['2025-03-24', 'Día de San José'],
    ['2025-04-17', 'Jueves Santo'],
    ['2025-04-18', 'Viernes Santo'],
    ['2025-05-01', 'Día del Trabajo'],
    ['2025-06-02', 'Ascensión del Señor'],
    ['2025-06-23', 'Corpus Christi'],
    ['2025-06-30', 'Sagrado Corazón de Jesús'],
    ['2025-06-30', 'San Pedro y San Pablo'],
    ['2025-07-20', 'Día de la Independencia'],
    ['2025-08-07', 'Batalla de Boyacá'],
    ['2025-08-18', 'Asunción de la Virgen'],
    ['2025-10-13', 'Día de la Raza'],
    ['2025-11-03', 'Día de Todos los Santos'],
    ['2025-11-17', 'Independencia de Cartagena'],
    ['2025-12-08', 'Día de la Inmaculada Concepción'],
    ['2025-12-25', 'Navidad'],
  ],
  2026: [
    ['2026-01-01', 'Año Nuevo'],
    ['2026-01-12', 'Día de los Reyes Magos'],
    ['2026-03-23', 'Día de San José'],
    ['2026-04-02', 'Jueves Santo'],
    ['2026-04-03', 'Viernes Santo'],
    ['2026-05-01', 'Día del Trabajo'],
    ['2026-05-18', 'Ascensión del Señor'],
    ['2026-06-08', 'Corpus Christi'],
    ['2026-06-15', 'Sagrado Corazón de Jesús'],
    ['2026-06-29', 'San Pedro y San Pablo'],
    ['2026-07-13', 'Día de Nuestra Señora del Rosario de Chiquinquirá'],
    ['2026-07-20', 'Día de la Independencia'],
    ['2026-08-07', 'Batalla de Boyacá'],
    ['2026-08-17', 'Asunción de la Virgen'],
    ['2026-10-12', 'Día de la Raza'],
    ['2026-11-02', 'Día de Todos los Santos'],
    ['2026-11-16', 'Independencia de Cartagena'],
    ['2026-12-08', 'Día de la Inmaculada Concepción'],
    ['2026-12-25', 'Navidad'],
  ],
  2027: [
    ['2027-01-01', 'Año Nuevo'],
    ['2027-01-11', 'Día de los Reyes Magos'],
    ['2027-03-22', 'Día de San José'],
    ['2027-03-25', 'Jueves Santo'],
    ['2027-03-26', 'Viernes Santo'],
    ['2027-05-01', 'Día del Trabajo'],
    ['2027-05-10', 'Ascensión del Señor'],
    ['2027-05-31', 'Corpus Christi'],
    ['2027-06-07', 'Sagrado Corazón de Jesús'],
    ['2027-07-05', 'San Pedro y San Pablo'],
    ['2027-07-12', 'Día de Nuestra Señora del Rosario de Chiquinquirá'],
    ['2027-07-20', 'Día de la Independencia'],
    ['2027-08-07', 'Batalla de Boyacá'],
    ['2027-08-16', 'Asunción de la Virgen'],
    ['2027-10-18', 'Día de la Raza'],
    ['2027-11-01', 'Día de Todos los Santos'],
    ['2027-11-15', 'Independencia de Cartagena'],
    ['2027-12-08', 'Día de la Inmaculada Concepción'],
    ['2027-12-25', 'Navidad'],
  ],
};

const EMPTY_PACK: RulePack = {
  version: 'test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
};

describe('holidaysOf', () => {
  it.each([2025, 2026, 2027])('matches the official list for %i', (year) => {
    const expected = OFFICIAL_HOLIDAYS[year]!.map(([date, name]) => ({ date, name }));
    expect(holidaysOf(year)).toEqual(expected);
  });

  it('lists both holidays on 30 June 2025', () => {
    const onThatMonday = holidaysOf(2025).filter((holiday) => holiday.date === '2025-06-30');
    expect(onThatMonday.map((holiday) => holiday.name)).toEqual(['Sagrado Corazón de Jesús', 'San Pedro y San Pablo']);
  });

  it('adds 9 July only from 2026', () => {
    const chiquinquira = 'Día de Nuestra Señora del Rosario de Chiquinquirá';
    expect(holidaysOf(2025).some((holiday) => holiday.name === chiquinquira)).toBe(false);
    expect(holidaysOf(2026).find((holiday) => holiday.name === chiquinquira)?.date).toBe('2026-07-13');
    // 9 July 2029 is a Monday, so it stays on its day.
    expect(holidaysOf(2029).find((holiday) => holiday.name === chiquinquira)?.date).toBe('2029-07-09');
  });

  it('keeps fixed holidays on weekends', () => {
    // 20 July 2025 is a Sunday and 1 May 2027 a Saturday; neither moves.
    expect(holidaysOf(2025).map((holiday) => holiday.date)).toContain('2025-07-20');
    expect(holidaysOf(2027).map((holiday) => holiday.date)).toContain('2027-05-01');
  });

  it('returns dates sorted for every year 1984 to 2100', () => {
    for (let year = 1984; year <= 2100; year += 1) {
      const dates = holidaysOf(year).map((holiday) => holiday.date);
      expect(dates).toEqual([...dates].sort());
      expect(dates.every((date) => date.startsWith(`${year}-`))).toBe(true);
    }
  });

  it('applies corrections from the rule pack', () => {
    const corrected = holidaysOf(2026, {
      add: [
        { date: '2026-09-14', name: 'Día cívico nacional' },
        { date: '2027-01-04', name: 'Otro año' },
      ],
      remove: ['2026-07-13'],
    });
    const dates = corrected.map((holiday) => holiday.date);

    expect(dates).toContain('2026-09-14');
    expect(dates).not.toContain('2026-07-13');
    expect(dates).not.toContain('2027-01-04');
    expect(dates).toEqual([...dates].sort());
    expect(corrected).toHaveLength(19);
  });

  it('returns copies callers may change', () => {
    const first = holidaysOf(2026);
    first[0]!.name = 'cambiado';
    first.pop();
    expect(holidaysOf(2026)[0]!.name).toBe('Año Nuevo');
    expect(holidaysOf(2026)).toHaveLength(19);
  });

  it.each([1983, 10_000, 2026.5, Number.NaN])('rejects year %s', (year) => {
    expect(() => holidaysOf(year)).toThrow(RangeError);
  });
});

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('is right for %i', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('rejects years before the Gregorian calendar', () => {
    expect(() => easterSunday(1582)).toThrow(RangeError);
  });
});

describe('isHoliday', () => {
  it.each([
    ['2026-07-20', true],
    ['2026-07-13', true],
    ['2026-07-09', false],
    ['2026-12-07', false],
    ['2026-12-08', true],
    ['2027-05-01', true],
    ['2025-06-30', true],
    ['2026-04-05', false],
  ])('%s → %s', (date, expected) => {
    expect(isHoliday(date)).toBe(expected);
  });

  it('applies extra blocked dates and corrections', () => {
    const pack: RulePack = {
      ...EMPTY_PACK,
      extraBlockedDates: ['2026-12-07'],
      calendarCorrections: { add: [{ date: '2026-12-09', name: 'Duelo nacional' }], remove: ['2026-12-08'] },
    };

    expect(isHoliday('2026-12-07', pack)).toBe(true);
    expect(isHoliday('2026-12-08', pack)).toBe(false);
    expect(isHoliday('2026-12-09', pack)).toBe(true);
    expect(isHoliday('2026-12-25', pack)).toBe(true);
    expect(isHoliday('2026-12-10', pack)).toBe(false);
  });

  it.each(['2026-02-30', '2026-7-20', '20/07/2026', ''])('rejects invalid date "%s"', (date) => {
    expect(() => isHoliday(date)).toThrow(/invalid date/);
  });
});

describe('cross-check with date-holidays', () => {
  // date-holidays 3.37 lists Easter Sunday ("Pascua") as a public holiday of Colombia, but Ley 51 de
  // 1983 does not, and R3 blocks every Sunday anyway. That is the only difference from 2020 to 2035,
  // because this version already has the 9 July holiday of Ley 2578 de 2026.
  it('agrees for 2020 to 2035 apart from Easter Sunday', () => {
    const library = new Holidays('CO');

    for (let year = 2020; year <= 2035; year += 1) {
      const fromLibrary = library
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10));
      const easter = easterSunday(year);

      expect(fromLibrary, `Easter Sunday ${year}`).toContain(easter);
      const libraryDates = fromLibrary.filter((date) => date !== easter).sort();
      const ourDates = holidaysOf(year).map((holiday) => holiday.date);
      expect(ourDates, `holidays of ${year}`).toEqual(libraryDates);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { RulePack } from '@gestiona/core/compliance/types';
import { checkRulePackDates } from './rule-pack-checks.ts';

const BASE: RulePack = {
  version: '2026.1',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: 175_090_500,
};

describe('checkRulePackDates', () => {
  it('accepts the factory pack', () => {
    expect(checkRulePackDates(BASE)).toEqual([]);
  });

  it.each([
    {
      name: 'a blocked date twice',
      pack: { ...BASE, extraBlockedDates: ['2026-12-07', '2026-12-07'] },
      problem: 'extraBlockedDates[1]: la fecha 2026-12-07 ya está en extraBlockedDates[0]. Quite la repetida.',
    },
    {
      name: 'a blocked date before 1984',
      pack: { ...BASE, extraBlockedDates: ['1983-12-07'] },
      problem: 'extraBlockedDates[0]: el 07/12/1983 está fuera de los años que evalúa el control (1984 a 9997).',
    },
    {
      name: 'a removed day that is no holiday',
      pack: { ...BASE, calendarCorrections: { add: [], remove: ['2026-12-09'] } },
      problem: 'calendarCorrections.remove[0]: el 09/12/2026 no es un festivo del calendario calculado, así que no hay nada que quitar. Revise la fecha.',
    },
    {
      name: 'an added day that already is a holiday',
      pack: { ...BASE, calendarCorrections: { add: [{ date: '2026-12-25', name: 'Navidad' }], remove: [] } },
      problem: 'calendarCorrections.add[0].date: el 25/12/2026 ya es festivo (Navidad). Quite la entrada o corrija la fecha.',
    },
    {
      name: 'an added holiday without a name',
      pack: { ...BASE, calendarCorrections: { add: [{ date: '2026-12-07', name: '   ' }], remove: [] } },
      problem: 'calendarCorrections.add[0].name: el nombre del festivo está vacío. Escriba el nombre, p. ej. "Día de duelo nacional".',
    },
    {
      name: 'a holiday added twice',
      pack: { ...BASE, calendarCorrections: { add: [{ date: '2026-12-07', name: 'Duelo' }, { date: '2026-12-07', name: 'Duelo' }], remove: [] } },
      problem: 'calendarCorrections.add[1].date: la fecha 2026-12-07 ya está en calendarCorrections.add[0].date. Quite la repetida.',
    },
  ])('rejects $name', ({ pack, problem }) => {
    expect(checkRulePackDates(pack)).toEqual([problem]);
  });

  it('accepts renaming a computed holiday', () => {
    const pack = { ...BASE, calendarCorrections: { add: [{ date: '2026-12-08', name: 'Inmaculada Concepción' }], remove: ['2026-12-08'] } };
    expect(checkRulePackDates(pack)).toEqual([]);
  });

  it('lists every problem at once', () => {
    const pack = { ...BASE, extraBlockedDates: ['1900-01-01'], calendarCorrections: { add: [{ date: '2026-01-01', name: 'Año Nuevo' }], remove: ['2026-01-02'] } };
    expect(checkRulePackDates(pack).map((problem) => problem.slice(0, problem.indexOf(':')))).toEqual([
      'extraBlockedDates[0]',
      'calendarCorrections.remove[0]',
      'calendarCorrections.add[0].date',
    ]);
  });
});
